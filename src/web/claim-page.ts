import { AttachmentView } from '../attachments/attachments.service';
import { ClaimView } from '../claim/claim.service';
import { ClaimSummary } from '../domain/insurance/claim-ledger';
import { COVERAGE_PART_LABELS, Cents, CoveragePart, formatDollars } from '../domain/insurance/coverage';
import { IncidentEventType } from '../domain/lifecycle/incident.types';
import { longDate } from '../domain/letters/documents';
import { eventForm, EventForm, Field } from './event-forms';

/** The insurance events the claim page offers, in the order a claim runs. */
export const CLAIM_EVENTS = ['insurance.costRecorded', 'insurance.costConsented', 'insurance.costWithdrawn', 'insurance.proofOfLossFiled'] as const;
export type ClaimEventType = (typeof CLAIM_EVENTS)[number];

export function isClaimEvent(v: unknown): v is ClaimEventType {
  return typeof v === 'string' && (CLAIM_EVENTS as readonly string[]).includes(v);
}

const money = (c: Cents | null | undefined) => (c === null || c === undefined ? 'none' : formatDollars(c));
const date = (d: string | undefined) => (d ? longDate(d) : 'not recorded');

/** The claim page's forms: the incident page's event forms, the cost's with its invoice to choose. */
export function claimForm(type: ClaimEventType, ctx: { costs: [string, string][]; invoices: [string, string][] }): EventForm {
  const form = eventForm(type, { openKeys: [], openItems: [], costs: ctx.costs });
  if (type !== 'insurance.costRecorded') return form;
  const invoice: Field = { name: 'invoiceAttachmentId', label: 'Its invoice (attach it on the Evidence page first)', kind: 'select', options: [['', 'No invoice attached yet'], ...ctx.invoices] };
  return { ...form, fields: [...form.fields, invoice] };
}

function fieldView(f: Field) {
  return { ...f, isText: f.kind === 'text' || f.kind === 'date' || f.kind === 'number' || f.kind === 'email', isSelect: f.kind === 'select', inputType: f.kind, step: f.kind === 'number' ? '0.01' : undefined };
}

/** The policy's terms as label and value, in words and dollars. */
function policyRows(p: NonNullable<ClaimView['policy']>, proofOfLossDue: string | null) {
  return [
    ['Carrier', p.carrier], ['Policy number', p.policyNumber ?? 'not recorded'],
    ['Policy period', p.periodStart && p.periodEnd ? `${longDate(p.periodStart)} to ${longDate(p.periodEnd)}` : 'not recorded'],
    ['Retention (deductible)', money(p.retention)], ['Aggregate limit', money(p.aggregateLimit)],
    ['Sub-limits', Object.entries(p.subLimits ?? {}).map(([part, c]) => `${COVERAGE_PART_LABELS[part as CoveragePart]} ${formatDollars(c!)}`).join('; ') || 'none'],
    ['Not covered', (p.excludedParts ?? []).map((x) => COVERAGE_PART_LABELS[x]).join('; ') || 'nothing excluded'],
    ['Consent needed before the cost', ['Extortion (always)', ...(p.consentRequired ?? []).filter((x) => x !== 'extortion').map((x) => COVERAGE_PART_LABELS[x])].join('; ')],
    ['Panel vendors', (p.panelVendors ?? []).join('; ') || 'none listed'],
    ['Notice to the insurer', `within ${p.noticeWindowDays} days of discovery`],
    ['Proof of loss due', proofOfLossDue ? date(proofOfLossDue) : 'the policy wording gives no date'],
  ].map(([label, value]) => ({ label, value }));
}

/** The claim's totals, in the order the math runs: incurred, covered, retention, limit, claimable. */
function totalRows(s: ClaimSummary) {
  return ([
    ['Incurred', s.totalIncurred], ['Covered (within sub-limits, consent in order)', s.totalCovered], ['Retention the practice bears', s.retentionApplied],
    ['Over the aggregate limit', s.overAggregate], ['Claimable from the insurer', s.claimable], ['Borne by the practice', s.borneByPractice],
    ['At risk (consent missing)', s.atRisk],
  ] as [string, Cents][]).map(([label, c]) => ({ label, value: money(c) }));
}

export function claimPage(id: string, claim: ClaimView, attachments: AttachmentView[], accepted: readonly IncidentEventType[], canAct: boolean) {
  const byId = new Map(attachments.map((a) => [a.id, a]));
  const warningsOf = (entryId: string) => (claim.summary?.warnings ?? []).filter((w) => w.entryId === entryId);
  const costs = claim.costs.map((c) => {
    const invoice = c.invoiceAttachmentId ? byId.get(c.invoiceAttachmentId) : undefined;
    const consentWarning = warningsOf(c.id).find((w) => w.kind === 'consent_missing' || w.kind === 'consent_after_cost');
    return {
      id: c.id, on: longDate(c.on), vendor: c.vendor, amount: formatDollars(c.amount), part: COVERAGE_PART_LABELS[c.part], description: c.description,
      invoice: invoice ? `#${invoice.number} ${invoice.fileName}` : c.fromBatchId ? 'from the letter batch (pages and postage)' : null,
      consent: c.consentOn ? `consented ${longDate(c.consentOn)}` : consentWarning ? 'needed, none recorded' : 'not needed',
      consentProblem: Boolean(consentWarning), withdrawn: c.withdrawnReason,
    };
  });
  const s = claim.summary;
  const p = claim.policy;
  const live = claim.costs.filter((c) => c.withdrawnReason === undefined);
  const ctx = {
    costs: live.map((c): [string, string] => [c.id, `${c.id}: ${c.vendor}, ${formatDollars(c.amount)}`]),
    invoices: attachments.filter((a) => a.kind === 'invoice' && a.supersededBy === null).map((a): [string, string] => [a.id, `#${a.number} ${a.fileName}`]),
  };
  const forms = canAct
    ? CLAIM_EVENTS.filter((t) => accepted.includes(t)).filter((t) => t === 'insurance.costRecorded' || t === 'insurance.proofOfLossFiled' || ctx.costs.length > 0)
      .map((type) => { const f = claimForm(type, ctx); return { type, ...f, fields: f.fields.map(fieldView), secondary: f.tone === 'secondary' }; })
    : [];
  return {
    id,
    policy: p ? policyRows(p, claim.proofOfLossDue) : null,
    costs,
    parts: (s?.parts ?? []).map((t) => ({
      label: t.label, incurred: money(t.incurred), covered: money(t.covered), subLimit: money(t.subLimit),
      over: t.overSubLimit > 0 ? money(t.overSubLimit) : null, remaining: t.subLimitRemaining === null ? 'no sub-limit' : money(t.subLimitRemaining),
      exhausted: t.subLimitRemaining === 0,
    })),
    totals: s ? totalRows(s) : null,
    warnings: (s?.warnings ?? []).filter((w) => !w.entryId).map((w) => w.message),
    entryWarnings: (s?.warnings ?? []).filter((w) => w.entryId).map((w) => `${w.entryId}: ${w.message}`),
    missing: claim.missingForSummary,
    documentation: claim.documentation.map((d) => ({ ...d, missing: d.status === 'missing' })),
    packageHref: s ? `/api/incidents/${id}/claim/package` : null,
    forms,
    canAct,
  };
}
