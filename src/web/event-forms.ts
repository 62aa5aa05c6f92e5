import { COVERAGE_PART_LABELS, COVERAGE_PARTS } from '../domain/insurance/coverage';
import { CONTAINMENT_LABELS, IncidentEventType, RISK_FACTORS } from '../domain/lifecycle/incident.types';
import { EXCEPTIONS } from '../domain/rules/facts';
import { DESTRUCTION_METHODS, ENCRYPTION_STANDARDS } from '../domain/rules/safe-harbor';

/**
 * One form per event of the incident machine: what the privacy officer fills in, and how the form's
 * fields become the event's JSON (the same event the API takes, through the same dispatch path).
 */
export interface Field {
  name: string;
  label: string;
  kind: 'text' | 'textarea' | 'date' | 'number' | 'checkbox' | 'select' | 'email';
  options?: [string, string][];
  required?: boolean;
  help?: string;
}

export interface EventForm {
  title: string;
  help?: string;
  fields: Field[];
  /** Actions that end or reverse something get a plainer button. */
  tone?: 'primary' | 'secondary' | 'danger';
}

const note: Field = { name: 'note', label: 'Note (optional)', kind: 'text' };
const FACTOR_LABELS: Record<string, string> = {
  nature_of_phi: '1. The nature and extent of the PHI (identifiers, likelihood of re-identification)',
  unauthorized_person: '2. The unauthorized person who used it or to whom it was disclosed',
  acquired_or_viewed: '3. Whether the PHI was actually acquired or viewed',
  mitigation: '4. The extent to which the risk has been mitigated',
};
const EXCEPTION_LABELS: Record<string, string> = {
  unintentional_workforce: 'Unintentional, good-faith access by a workforce member (164.402(1)(i))',
  inadvertent_internal: 'Inadvertent disclosure between authorized people at the same entity (164.402(1)(ii))',
  unable_to_retain: 'The recipient could not reasonably have retained it (164.402(1)(iii))',
};

const holdFields: Field[] = [
  { name: 'holdConfirmed', label: 'It was sent while the law-enforcement hold was in force, and I confirm that', kind: 'checkbox' },
  { name: 'holdReason', label: 'Why it went out during the hold (required with the box above)', kind: 'text' },
];

const options = (list: readonly string[], none: string): [string, string][] => [['', none], ...list.map((v): [string, string] => [v, v])];

export function eventForm(type: IncidentEventType, ctx: { openKeys: [string, string][]; openItems: string[]; provenKeys?: [string, string][]; costs?: [string, string][] }): EventForm {
  switch (type) {
    case 'triage.started': return { title: 'Start triage', fields: [] };
    case 'incident.accepted': return { title: 'Accept: PHI may be involved', help: 'Moves to containment.', fields: [note] };
    case 'incident.dismissed': return { title: 'Dismiss: no PHI involved', tone: 'danger', fields: [{ name: 'reason', label: 'Why no PHI was involved', kind: 'textarea', required: true }] };
    case 'containment.itemResolved': return {
      title: 'Containment checklist', help: 'Record each step as done or not applicable.',
      fields: [
        { name: 'item', label: 'Step', kind: 'select', required: true, options: ctx.openItems.map((i) => [i, CONTAINMENT_LABELS[i as keyof typeof CONTAINMENT_LABELS]]) },
        { name: 'status', label: 'Status', kind: 'select', required: true, options: [['done', 'Done'], ['not_applicable', 'Not applicable']] },
        note,
      ],
    };
    case 'containment.completed': return { title: 'Containment complete', help: 'Every checklist step must be done or not applicable.', fields: [] };
    case 'safeHarbor.assessed': return {
      title: 'Safe-harbor check (encryption or destruction)',
      help: 'HHS guidance: PHI encrypted to NIST standards with the key not compromised, or destroyed, is not "unsecured": no notice is owed.',
      fields: [
        { name: 'encryption.applied', label: 'The data was encrypted', kind: 'checkbox' },
        { name: 'encryption.keyCompromised', label: 'Could the key or password have been compromised?', kind: 'select', options: [['', 'Not known (treated as compromised)'], ['false', 'No'], ['true', 'Yes']] },
        { name: 'encryption.keyStoredWithDevice', label: 'The key or password was kept with the device', kind: 'checkbox' },
        { name: 'encryption.unlockedAtIncident', label: 'The device was on and unlocked, or unlocks itself', kind: 'checkbox' },
        { name: 'encryption.standard', label: 'Encryption process the HHS guidance names (only these secure PHI)', kind: 'select', options: options(ENCRYPTION_STANDARDS, 'None of these, or not known (not secured)') },
        { name: 'encryption.dataState', label: 'Where the data was', kind: 'select', options: [['', 'Not recorded'], ['at_rest', 'At rest (stored on a disk, phone, backup)'], ['in_motion', 'In motion (being sent)'], ['in_use', 'In use (open in an application: never secured)']] },
        { name: 'destruction.applied', label: 'The media was destroyed', kind: 'checkbox' },
        { name: 'destruction.method', label: 'Destruction method the HHS guidance names (only these secure PHI)', kind: 'select', options: options(DESTRUCTION_METHODS, 'None of these, or not known (not secured)') },
        note,
      ],
    };
    case 'assessment.exceptionApplied': return {
      title: 'Apply a statutory exception',
      fields: [
        { name: 'exception', label: 'Exception', kind: 'select', required: true, options: EXCEPTIONS.map((e) => [e, EXCEPTION_LABELS[e]]) },
        { name: 'basis', label: 'Evidence it applies', kind: 'textarea', required: true },
      ],
    };
    case 'assessment.completed': return {
      title: 'Four-factor risk assessment (164.402(2))',
      help: 'Each factor needs a finding and the evidence for it. A breach is presumed unless the assessment shows a low probability of compromise.',
      fields: [
        ...RISK_FACTORS.flatMap((f): Field[] => [
          { name: `factors.${f}.finding`, label: `${FACTOR_LABELS[f]}: finding`, kind: 'textarea', required: true },
          { name: `factors.${f}.evidence`, label: 'Evidence', kind: 'text', required: true },
        ]),
        { name: 'lowProbability', label: 'Conclusion', kind: 'select', required: true, options: [['false', 'Notification is required'], ['true', 'Low probability of compromise: not reportable']] },
      ],
    };
    case 'assessment.skipped': return { title: 'Notify without an assessment', fields: [{ name: 'reason', label: 'Why', kind: 'textarea', required: true }] };
    case 'notice.sent': return {
      title: 'Record a notice as sent', help: 'The proof: date, method, count.',
      fields: [
        { name: 'key', label: 'Obligation', kind: 'select', required: true, options: ctx.openKeys },
        { name: 'sentOn', label: 'Sent on', kind: 'date', required: true },
        { name: 'method', label: 'Method (e.g. first-class mail, OCR portal)', kind: 'text', required: true },
        { name: 'count', label: 'How many (optional)', kind: 'number' },
        { name: 'reference', label: 'Reference (optional: tracking or confirmation number)', kind: 'text' },
        ...holdFields,
      ],
    };
    case 'notice.furtherMailing': return {
      title: 'Record a further mailing', help: 'Recorded by itself when a later letter batch is marked sent; the first proof stays.',
      fields: [
        { name: 'key', label: 'Obligation', kind: 'select', required: true, options: ctx.provenKeys ?? [] },
        { name: 'sentOn', label: 'Sent on', kind: 'date', required: true },
        { name: 'method', label: 'Method', kind: 'text', required: true },
        { name: 'count', label: 'How many', kind: 'number', required: true },
        { name: 'batchId', label: 'Letter batch', kind: 'text', required: true },
        ...holdFields,
      ],
    };
    case 'proof.corrected': return {
      title: 'Correct a recorded proof', tone: 'secondary', help: 'The corrected proof replaces the recorded one; both stay in the audit trail with your reason.',
      fields: [
        { name: 'key', label: 'Obligation', kind: 'select', required: true, options: ctx.provenKeys ?? [] },
        { name: 'sentOn', label: 'Correct date sent (leave empty to keep it)', kind: 'date' },
        { name: 'method', label: 'Correct method (leave empty to keep it)', kind: 'text' },
        { name: 'count', label: 'Correct count (leave empty to keep it)', kind: 'number' },
        { name: 'reason', label: 'What was wrong', kind: 'text', required: true },
        ...holdFields,
      ],
    };
    case 'obligation.waived': return {
      title: 'Waive an obligation', tone: 'danger', help: 'Only with counsel\'s advice; the reason is kept in the audit trail.',
      fields: [{ name: 'key', label: 'Obligation', kind: 'select', required: true, options: ctx.openKeys }, { name: 'reason', label: 'Reason', kind: 'textarea', required: true }],
    };
    case 'facts.updated': return {
      title: 'Update the number of people affected',
      fields: [
        { name: 'affected.total', label: 'People affected (total)', kind: 'number', required: true },
        { name: 'affected.byJurisdiction', label: 'Residents per state, e.g. NY=900, NJ=300', kind: 'text' },
        { name: 'affected.insufficientContact', label: 'People with no usable address', kind: 'number' },
        { name: 'reason', label: 'Why the numbers changed', kind: 'text', required: true },
      ],
    };
    case 'plan.packAccepted': return {
      title: 'Accept the new rule pack', help: 'Re-plans the incident with the rule pack the server runs; review what changes on the pack-change page first.',
      fields: [{ name: 'rulePackVersion', label: 'Rule pack version being accepted', kind: 'text', required: true }, { name: 'reason', label: 'Note', kind: 'text' }],
    };
    case 'hold.placed': return {
      title: 'Law enforcement asked to delay notice (164.412)',
      fields: [
        { name: 'statement', label: 'Statement', kind: 'select', required: true, options: [['oral', 'Oral (delay at most 30 days unless followed in writing)'], ['written', 'Written']] },
        { name: 'receivedOn', label: 'Received on', kind: 'date', required: true },
        { name: 'delayUntil', label: 'Delay until (the date the official stated)', kind: 'date' },
        { name: 'official', label: 'Official and agency', kind: 'text' },
      ],
    };
    case 'hold.followUp': return {
      title: 'Written follow-up of the hold',
      fields: [{ name: 'receivedOn', label: 'Received on', kind: 'date', required: true }, { name: 'delayUntil', label: 'Delay until', kind: 'date' }, { name: 'official', label: 'Official', kind: 'text' }],
    };
    case 'hold.lifted': return { title: 'Law enforcement lifted the hold', fields: [{ name: 'liftedOn', label: 'Lifted on', kind: 'date', required: true }] };
    case 'insurance.policyRecorded': return {
      title: 'Cyber insurance policy',
      fields: [
        { name: 'carrier', label: 'Carrier', kind: 'text', required: true },
        { name: 'policyNumber', label: 'Policy number', kind: 'text' },
        { name: 'noticeWindowDays', label: 'Days the policy allows for notice of a breach', kind: 'number', required: true },
        { name: 'periodStart', label: 'Policy period from', kind: 'date' },
        { name: 'periodEnd', label: 'Policy period to', kind: 'date' },
        { name: 'retention', label: 'Retention (deductible), USD', kind: 'number' },
        { name: 'aggregateLimit', label: 'Aggregate limit, USD', kind: 'number' },
        { name: 'proofOfLossMonthsAfterPeriod', label: 'Proof of loss due, months after the period ends', kind: 'number' },
      ],
    };
    case 'insurance.costRecorded': return {
      title: 'Enter a cost', help: 'Each cost is booked against a coverage part of the policy; attach its invoice as evidence.',
      fields: [
        { name: 'on', label: 'Incurred on', kind: 'date', required: true },
        { name: 'vendor', label: 'Vendor', kind: 'text', required: true },
        { name: 'amount', label: 'Amount, USD', kind: 'number', required: true },
        { name: 'part', label: 'Coverage part', kind: 'select', required: true, options: COVERAGE_PARTS.map((p) => [p, COVERAGE_PART_LABELS[p]]) },
        { name: 'description', label: 'What it was for', kind: 'text' },
        { name: 'consentOn', label: 'The insurer consented on (when the policy requires consent)', kind: 'date' },
      ],
    };
    case 'insurance.costConsented': return {
      title: 'Record the insurer\'s consent to a cost',
      fields: [{ name: 'cost', label: 'Cost', kind: 'select', required: true, options: ctx.costs ?? [] }, { name: 'on', label: 'Consented on', kind: 'date', required: true }],
    };
    case 'insurance.costWithdrawn': return {
      title: 'Withdraw a cost entered by mistake', tone: 'secondary',
      fields: [{ name: 'cost', label: 'Cost', kind: 'select', required: true, options: ctx.costs ?? [] }, { name: 'reason', label: 'Why', kind: 'text', required: true }],
    };
    case 'insurance.proofOfLossFiled': return { title: 'Proof of loss filed', fields: [{ name: 'on', label: 'On', kind: 'date', required: true }] };
    case 'insurance.noticeGiven': return { title: 'Notice given to the insurer', fields: [{ name: 'on', label: 'On', kind: 'date', required: true }, { name: 'method', label: 'How (written notice to the claims contact)', kind: 'text', required: true }] };
    case 'insurance.claimFiled': return { title: 'Claim filed', fields: [{ name: 'on', label: 'On', kind: 'date', required: true }, { name: 'claimNumber', label: 'Claim number', kind: 'text', required: true }] };
    case 'insurance.settled': return { title: 'Claim settled', fields: [{ name: 'on', label: 'On', kind: 'date', required: true }, { name: 'amount', label: 'Amount (USD)', kind: 'number', required: true }] };
    case 'insurance.denied': return { title: 'Claim denied', tone: 'secondary', fields: [{ name: 'on', label: 'On', kind: 'date', required: true }, { name: 'reason', label: 'Reason', kind: 'text', required: true }] };
    case 'insurance.withdrawn': return { title: 'Claim withdrawn', tone: 'secondary', fields: [{ name: 'on', label: 'On', kind: 'date', required: true }, { name: 'reason', label: 'Reason', kind: 'text', required: true }] };
    case 'incident.assigned': return { title: 'Assign a privacy officer', fields: [{ name: 'privacyOfficerEmail', label: 'Email (empty: the practice\'s privacy officer)', kind: 'email' }] };
    case 'incident.closed': return { title: 'Close the incident', tone: 'secondary', fields: [note] };
    case 'incident.reopened': return { title: 'Reopen (addendum)', tone: 'secondary', fields: [{ name: 'reason', label: 'Why', kind: 'textarea', required: true }] };
  }
}

/**
 * A submitted form as the event's JSON: empty fields are left out (the validator names what is
 * required), checkboxes are booleans, numbers numbers, dotted names nested objects. A group
 * (encryption, destruction) is sent only when its "applied" box is ticked.
 */
export function formToEvent(type: IncidentEventType, form: Record<string, unknown>, spec: EventForm): Record<string, unknown> {
  const event: Record<string, unknown> = { type };
  const set = (path: string, value: unknown) => {
    const parts = path.split('.');
    let o = event;
    for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
    o[parts[parts.length - 1]] = value;
  };
  for (const f of spec.fields) {
    const raw = form[f.name];
    const group = f.name.split('.')[0];
    if (f.name.includes('.') && spec.fields.some((g) => g.name === `${group}.applied`) && form[`${group}.applied`] === undefined) continue;
    if (f.kind === 'checkbox') {
      // An unticked confirmation is left out rather than sent as false.
      if (raw !== undefined || f.name !== 'holdConfirmed') set(f.name, raw !== undefined);
      continue;
    }
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const text = raw.trim();
    if (f.name === 'affected.byJurisdiction') { set(f.name, parseStates(text)); continue; }
    if (f.kind === 'number') set(f.name, /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text);
    else if (f.kind === 'select' && (text === 'true' || text === 'false') && f.options?.some(([v]) => v === 'true')) set(f.name, text === 'true');
    else set(f.name, text);
  }
  if (type === 'incident.assigned' && event.privacyOfficerEmail === undefined) event.privacyOfficerEmail = null;
  if (type === 'facts.updated') {
    const { reason, affected } = event as { reason?: unknown; affected?: unknown };
    return { type, reason, changes: { affected } };
  }
  return event;
}

/** "NY=900, NJ=300" as { NY: 900, NJ: 300 }; anything else is passed on for the validator to name. */
function parseStates(text: string): unknown {
  const out: Record<string, unknown> = {};
  for (const part of text.split(/[,;\s]+/).filter(Boolean)) {
    const m = /^([A-Za-z]{2})[=:](\d+)$/.exec(part);
    if (!m) return text;
    out[m[1].toUpperCase()] = Number(m[2]);
  }
  return out;
}
