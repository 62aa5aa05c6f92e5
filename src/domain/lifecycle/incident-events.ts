import { isLocalDate } from '../rules/calendar';
import { checkEmail } from '../reminders/reminder-settings';
import { EXCEPTIONS } from '../rules/facts';
import { Checker, JsonObject, Validated } from '../validation';
import { checkPolicyTerms, dollars, months, optionalDollars, part, parts, subLimits, vendors } from '../insurance/insurance-events';
import {
  CONTAINMENT_ITEMS,
  FactsChange,
  IncidentEvent,
  IncidentEventType,
  RISK_FACTORS,
} from './incident.types';

/**
 * The shape of each event's payload, checked before the incident is loaded: a bad payload is a
 * 422 naming the field, whatever state the incident is in.
 */

type FieldSpec = 'string' | 'text?' | 'date' | 'date?' | 'count?' | 'count' | 'amount';
type Spec = Record<string, FieldSpec | ((c: Checker, v: unknown, path: string) => unknown)>;

const FACT_CHANGE_KEYS = ['discovery', 'affected', 'dataFormat', 'determinedOn', 'entity', 'businessAssociate', 'dataElements'] as const;

function factsChange(c: Checker, v: unknown, path: string): FactsChange | undefined {
  const o = c.object(v, path, FACT_CHANGE_KEYS);
  if (o && Object.keys(o).length === 0) c.fail(path, `name at least one of: ${FACT_CHANGE_KEYS.join(', ')}`);
  // The values themselves are checked with the whole facts, once merged (see incident-checks).
  return o as FactsChange | undefined;
}

function safeguard(keys: readonly string[]) {
  return (c: Checker, v: unknown, path: string) => {
    if (v === undefined) return undefined;
    const o = c.object(v, path, keys);
    if (o) c.boolean(o.applied, `${path}.applied`);
    return o;
  };
}

function factors(c: Checker, v: unknown, path: string): unknown {
  const o = c.object(v, path, RISK_FACTORS);
  if (!o) return undefined;
  for (const f of RISK_FACTORS) {
    const item = c.object(o[f], `${path}.${f}`, ['finding', 'evidence']);
    if (!item) continue;
    c.string(item.finding, `${path}.${f}.finding`);
    if (typeof item.evidence !== 'string') c.fail(`${path}.${f}.evidence`, 'must be a string (empty when there is none yet)');
  }
  return o;
}

function optionalBoolean(c: Checker, v: unknown, path: string): unknown {
  return v === undefined ? undefined : c.boolean(v, path);
}

const SPECS: Record<IncidentEventType, Spec> = {
  'triage.started': {},
  'incident.accepted': { note: 'text?' },
  'incident.dismissed': { reason: 'string' },
  'containment.itemResolved': {
    item: (c, v, p) => c.oneOf(v, p, CONTAINMENT_ITEMS),
    status: (c, v, p) => c.oneOf(v, p, ['done', 'not_applicable'] as const),
    note: 'text?',
  },
  'containment.completed': {},
  'safeHarbor.assessed': {
    encryption: safeguard(['applied', 'keyCompromised', 'keyStoredWithDevice', 'unlockedAtIncident', 'standard', 'dataState']),
    destruction: safeguard(['applied', 'method']),
    note: 'text?',
  },
  'assessment.exceptionApplied': { exception: (c, v, p) => c.oneOf(v, p, EXCEPTIONS), basis: 'string' },
  'assessment.completed': { factors, lowProbability: (c, v, p) => c.boolean(v, p) },
  'assessment.skipped': { reason: 'string' },
  'notice.sent': { key: 'string', sentOn: 'date', method: 'string', count: 'count?', reference: 'text?', holdConfirmed: optionalBoolean, holdReason: 'text?' },
  'notice.furtherMailing': { key: 'string', sentOn: 'date', method: 'string', count: 'count', batchId: 'string', holdConfirmed: optionalBoolean, holdReason: 'text?' },
  'proof.corrected': {
    key: 'string', sentOn: 'date?', method: 'text?', count: 'count?', reference: 'text?', reason: 'string', holdConfirmed: optionalBoolean, holdReason: 'text?',
  },
  'obligation.waived': { key: 'string', reason: 'string' },
  'facts.updated': { changes: factsChange, reason: 'string' },
  'plan.packAccepted': { rulePackVersion: 'string', reason: 'text?' },
  'hold.placed': {
    statement: (c, v, p) => c.oneOf(v, p, ['oral', 'written'] as const),
    receivedOn: 'date',
    delayUntil: 'date?',
    official: 'text?',
  },
  'hold.followUp': { receivedOn: 'date', delayUntil: 'date?', official: 'text?' },
  'hold.lifted': { liftedOn: 'date' },
  'insurance.policyRecorded': {
    carrier: 'string',
    policyNumber: 'text?',
    noticeWindowDays: (c, v, p) => c.integer(v, p, 0),
    periodStart: 'date?',
    periodEnd: 'date?',
    retention: optionalDollars,
    aggregateLimit: optionalDollars,
    subLimits,
    excludedParts: parts,
    consentRequired: parts,
    panelVendors: vendors,
    proofOfLossMonthsAfterPeriod: months,
  },
  'insurance.costRecorded': {
    on: 'date', vendor: 'string', amount: dollars, part, description: 'text?', invoiceAttachmentId: 'text?', consentOn: 'date?', batchId: 'text?',
  },
  'insurance.costConsented': { cost: 'string', on: 'date' },
  'insurance.costWithdrawn': { cost: 'string', reason: 'string' },
  'insurance.proofOfLossFiled': { on: 'date' },
  'insurance.noticeGiven': { on: 'date', method: 'string' },
  'insurance.claimFiled': { on: 'date', claimNumber: 'string' },
  'insurance.settled': { on: 'date', amount: 'amount' },
  'insurance.denied': { on: 'date', reason: 'string' },
  'insurance.withdrawn': { on: 'date', reason: 'string' },
  'incident.assigned': { privacyOfficerEmail: (c, v, p) => checkEmail(c, v, p) },
  'incident.closed': { note: 'text?' },
  'incident.reopened': { reason: 'string', changes: (c, v, p) => (v === undefined ? undefined : factsChange(c, v, p)) },
};

export const EVENT_TYPES = Object.keys(SPECS) as IncidentEventType[];

function checkField(c: Checker, spec: FieldSpec, v: unknown, path: string): void {
  const optional = spec.endsWith('?');
  if (optional && v === undefined) return;
  switch (spec.replace('?', '')) {
    case 'string':
    case 'text':
      if (typeof v === 'string' && v.length > 4000) c.fail(path, 'is too long (4,000 characters at most)');
      else c.string(v, path);
      return;
    case 'date':
      if (!isLocalDate(v)) c.fail(path, `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(v)}`);
      return;
    case 'count':
      c.integer(v, path, 0);
      return;
    case 'amount':
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) c.fail(path, `must be an amount of 0 or more, got ${JSON.stringify(v)}`);
  }
}

/** Checks an event posted as `{ "type": ..., ...payload }`. */
export function validateEvent(input: unknown): Validated<IncidentEvent> {
  const c = new Checker();
  const o: JsonObject | undefined = c.object(input, '');
  if (!o) return { ok: false, errors: c.errors };
  const type = c.oneOf(o.type, 'type', EVENT_TYPES, 'unknown event type; expected one of');
  if (!type) return { ok: false, errors: c.errors };
  const spec = SPECS[type];
  for (const key of Object.keys(o)) {
    if (key !== 'type' && !(key in spec)) c.fail(key, `unknown field for ${type} (expected: ${Object.keys(spec).join(', ') || 'none'})`);
  }
  for (const [key, field] of Object.entries(spec)) {
    if (typeof field === 'function') field(c, o[key], key);
    else checkField(c, field, o[key], key);
  }
  if (type === 'containment.itemResolved' && o.status === 'not_applicable' && typeof o.note !== 'string') {
    c.fail('note', 'is required when an item is not applicable: say why');
  }
  if (o.holdConfirmed === true && typeof o.holdReason !== 'string') {
    c.fail('holdReason', 'is required with holdConfirmed: say why the notice went out while the law-enforcement hold was in force');
  }
  if (o.holdReason !== undefined && o.holdConfirmed !== true) c.fail('holdConfirmed', 'must be true when a holdReason is given');
  if (type === 'insurance.policyRecorded') checkPolicyTerms(c, o);
  if (type === 'proof.corrected' && ['sentOn', 'method', 'count', 'reference'].every((k) => o[k] === undefined)) {
    c.fail('sentOn', 'name what to correct: at least one of sentOn, method, count, reference');
  }
  return c.ok ? { ok: true, value: o as unknown as IncidentEvent } : { ok: false, errors: c.errors };
}
