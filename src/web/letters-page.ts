import { longDate } from '../domain/letters/documents';
import { jurisdictionName } from '../domain/rules/jurisdiction-names';
import { Jurisdiction } from '../domain/rules/facts';
import { formatCount } from '../domain/rules/format';
import { IncidentView } from '../incidents/incident-view';
import { BatchView } from '../letters/letters.service';

const STATUS_TEXT: Record<BatchView['status'], string> = {
  running: 'being generated', done: 'ready to mail', failed: 'failed', superseded: 'replaced by a newer batch (never mailed)',
};

/** The letters page: each batch's state and progress, its files, and whether it can be marked mailed. */
export function lettersPage(id: string, batches: BatchView[]) {
  return {
    batches: batches.map((b, i) => ({
      ...b,
      number: batches.length - i,
      statusText: b.sentOn ? `mailed on ${longDate(b.sentOn)}` : STATUS_TEXT[b.status],
      running: b.status === 'running',
      percent: b.total ? Math.floor((100 * b.done) / b.total) : 0,
      progressText: `${formatCount(b.done)} of ${formatCount(b.total)} people`,
      canMarkSent: b.status === 'done' && !b.sentOn,
      downloads: b.status === 'done' ? [...b.files.map((f) => ({ name: f, href: `/incidents/${id}/letters/${b.id}/files/${f}` })), { name: 'manifest.csv', href: `/incidents/${id}/letters/${b.id}/files/manifest.csv` }] : [],
      summary: `${formatCount(b.letters)} letters (${formatCount(b.pages)} pages), ${formatCount(b.emails)} emails`,
    })),
    watchProgress: batches.some((b) => b.status === 'running'),
  };
}

/** The documents page: which document the plan asks for, each as a PDF (and the HHS report as a page). */
export function documentsPage(view: IncidentView) {
  const base = `/incidents/${view.id}/documents`;
  const has = (audience: string) => view.obligations.filter((o) => o.audience === audience && o.status !== 'withdrawn');
  const facts = view.facts as { entity: { type: string } };
  const media = has('media').filter((o) => o.jurisdiction).map((o) => ({
    label: `Media release: ${jurisdictionName(o.jurisdiction as Jurisdiction)}`, href: `${base}/media-notice/pdf?jurisdiction=${o.jurisdiction}`, why: `${o.why} (${o.citation})`,
  }));
  const hhs = view.obligations.find((o) => o.key === 'HIPAA/hhs');
  const docs = [
    { label: 'Sample letter to individuals', href: `${base}/individual-notice/pdf`, why: 'With placeholders where each person\'s details go (164.404(c)).' },
    ...(has('substitute_notice').length ? [{ label: 'Substitute notice', href: `${base}/substitute-notice/pdf`, why: `${has('substitute_notice')[0].why} (${has('substitute_notice')[0].citation})` }] : []),
    ...media,
    ...(facts.entity.type === 'business_associate' ? [{ label: 'Business associate\'s notice to the covered entity', href: `${base}/ba-notice/pdf`, why: '164.410' }] : []),
    { label: 'Insurer\'s first notice of loss', href: `${base}/insurer-notice/pdf`, why: 'For the cyber insurance claim; the policy sets the notice window.' },
  ];
  return {
    docs,
    hhsPage: `${base}/hhs-report`,
    hhsPdf: `${base}/hhs-report/pdf`,
    annualLog: hhs?.track === 'annual_log' ? { href: `/reports/annual-log.csv?year=${view.plan.discoveryDate.slice(0, 4)}`, year: view.plan.discoveryDate.slice(0, 4) } : null,
  };
}
