import { ATTACHMENT_KIND_LABELS, AttachmentKind } from '../evidence/attachment-kinds';
import { DossierStory, StorySection } from '../evidence/dossier-story';
import { IncidentContext } from '../lifecycle/incident.types';
import { formatCount } from '../rules/format';
import { ClaimSummary, proofOfLossDue } from './claim-ledger';
import { COVERAGE_PART_LABELS, CostEntry, CyberPolicy, formatDollars } from './coverage';

/** One item insurers ask for with a claim, and whether the incident's record holds it. */
export interface DocumentationItem {
  item: string;
  status: 'present' | 'missing' | 'outside breachflow';
  detail: string;
}

export interface ClaimPackageInput {
  context: IncidentContext;
  policy: CyberPolicy;
  entries: CostEntry[];
  summary: ClaimSummary;
  /** The incident's current (not superseded) attachments by kind. */
  attachmentKinds: AttachmentKind[];
  /** How many events the incident's audit trail holds (its timeline). */
  auditEvents: number;
}

function has(kinds: AttachmentKind[], kind: AttachmentKind): boolean {
  return kinds.includes(kind);
}

/**
 * The documentation insurers typically ask for with a cyber claim, held against what the
 * incident's record has: present, missing (attach it), or outside breachflow (the practice keeps it).
 */
export function documentationChecklist(input: ClaimPackageInput): DocumentationItem[] {
  const k = input.attachmentKinds;
  const c = input.context;
  const notices = c.plan.obligations.filter((o) => c.tracking[o.key]?.status === 'done').length;
  const noInvoice = input.entries.filter((e) => e.invoiceAttachmentId === undefined && e.fromBatchId === undefined).length;
  const byState = Object.keys(c.facts.affected.byJurisdiction ?? {}).length;
  const item = (name: string, present: boolean, yes: string, no: string): DocumentationItem =>
    ({ item: name, status: present ? 'present' : 'missing', detail: present ? yes : no });
  return [
    item('Incident timeline with timestamps', input.auditEvents > 0, `the audit trail: ${formatCount(input.auditEvents)} events`, 'no events recorded'),
    item(ATTACHMENT_KIND_LABELS.forensic_report, has(k, 'forensic_report'), 'attached', 'attach the forensic report (often delivered through counsel)'),
    item(ATTACHMENT_KIND_LABELS.police_report, has(k, 'police_report'), 'attached', 'attach the police or IC3 report, or its number'),
    item('Affected individuals and data by state', byState > 0 && (c.facts.dataElements?.length ?? 0) > 0,
      `${formatCount(c.facts.affected.total)} individuals in ${byState} jurisdictions; data: ${(c.facts.dataElements ?? []).join(', ')}`,
      'record the states of residence and the kinds of data involved in the facts'),
    item('Copies of the notices sent', notices > 0, `${notices} notices recorded with their proof`, 'no notice is recorded as sent yet'),
    item('Invoices itemised by coverage part', input.entries.length > 0 && noInvoice === 0,
      `${input.entries.length} cost entries, each with its invoice`,
      input.entries.length === 0 ? 'no cost is entered yet' : `${noInvoice} of ${input.entries.length} cost entries have no invoice attached`),
    item(ATTACHMENT_KIND_LABELS.correspondence, has(k, 'correspondence'), 'attached', 'attach communications with OCR, state attorneys general and the carrier'),
    { item: 'Ransom note and threat-actor communications', status: 'outside breachflow', detail: 'where there was extortion: keep them with the forensic firm' },
    { item: 'Logs and screenshots; the list of affected systems', status: 'outside breachflow', detail: 'usually in the forensic report' },
    { item: 'Payroll, overtime and extra-expense records; revenue records', status: 'outside breachflow', detail: 'for a business-interruption claim' },
    { item: 'Business associate and vendor contracts', status: 'outside breachflow', detail: 'where a vendor was involved' },
    { item: 'The security attestations given at underwriting', status: 'outside breachflow', detail: 'MFA, backups, EDR, encryption: a misstatement can void coverage' },
  ];
}

function row(label: string, value: string): [string, string] {
  return [label, value];
}

/**
 * The claim package for the insurer: the policy, the ledger with every cost and its invoice, the
 * totals against retention and sub-limits with every warning, the proof-of-loss date, and the
 * documentation checklist with what is still missing. No patient is named.
 */
export function claimPackage(input: ClaimPackageInput): DossierStory {
  const { policy, summary, entries, context } = input;
  const due = proofOfLossDue(policy);
  const sections: StorySection[] = [
    {
      heading: 'The policy',
      paragraphs: [],
      rows: [
        row('Carrier', policy.carrier),
        row('Policy number', policy.policyNumber ?? 'not recorded'),
        row('Policy period', `${policy.periodStart} to ${policy.periodEnd}`),
        row('Retention', formatDollars(policy.retention)),
        row('Aggregate limit', formatDollars(policy.aggregateLimit)),
        ...Object.entries(policy.subLimits).map(([part, cents]) => row(`Sub-limit: ${COVERAGE_PART_LABELS[part as keyof typeof COVERAGE_PART_LABELS]}`, formatDollars(cents!))),
        row('Proof of loss due', due ?? 'the policy wording gives no date: ask the carrier'),
      ],
    },
    {
      heading: 'The costs',
      paragraphs: entries.length ? [] : ['No cost is entered yet.'],
      rows: entries.map((e) => row(
        `${e.on} ${e.vendor} (${COVERAGE_PART_LABELS[e.part]})`,
        `${formatDollars(e.amount)}${e.description ? `: ${e.description}` : ''}; invoice ${e.invoiceAttachmentId ? 'attached' : e.fromBatchId ? 'the mailing itself' : 'missing'}${e.consentOn ? `; insurer consented ${e.consentOn}` : ''}`,
      )),
    },
    {
      heading: 'Totals',
      paragraphs: summary.warnings.map((w) => w.message),
      rows: [
        ...summary.parts.map((p) => row(p.label, `${formatDollars(p.incurred)} incurred, ${formatDollars(p.covered)} covered${p.subLimit !== null ? ` of a ${formatDollars(p.subLimit)} sub-limit (${formatDollars(p.subLimitRemaining ?? 0)} left)` : ''}`)),
        row('Total incurred', formatDollars(summary.totalIncurred)),
        row('Retention applied', formatDollars(summary.retentionApplied)),
        row('Claimable', formatDollars(summary.claimable)),
        row('At risk (consent missing)', formatDollars(summary.atRisk)),
        row('Borne by the practice', formatDollars(summary.borneByPractice)),
      ],
    },
    {
      heading: 'Documentation insurers ask for',
      paragraphs: [],
      rows: documentationChecklist(input).map((d) => row(`${d.item}: ${d.status}`, d.detail)),
    },
  ];
  return { title: `Incident ${context.reference}: claim package for ${policy.carrier}`, sections };
}
