import { CONTAINMENT_LABELS } from '../lifecycle/incident.types';
import { formatCount } from '../rules/format';
import { RosterPerson } from '../roster/roster';
import { addressLines, DocumentInputs, longDate, MissingElement, noticeModel, ROLE_WORDS } from './documents';
import { BREACH_TYPES, PHI_TYPES, PracticeContact } from './notice-content';

/** The notices to other organisations: the business associate's (164.410) and the insurer's first notice of loss. */

export interface BaNoticeModel {
  baName: string;
  coveredEntityName: string;
  reference: string;
  dateText: string;
  discoveryDateText: string;
  whatHappened: string | null;
  breachDateText: string | null;
  phiTypes: string[];
  whatWeAreDoing: string | null;
  count: string;
  contact: PracticeContact;
  individuals: { number: number; name: string; addressLines: string[]; state: string; status: string }[];
}

const STATUS_WORDS = (p: RosterPerson) => p.status === 'living' ? ''
  : `${p.status}; contact: ${p.representative!.name} (${ROLE_WORDS[p.representative!.role]})`;

/** A business associate's notice to the covered entity, with each individual identified (164.410(c)). */
export function baNoticeModel(i: DocumentInputs, people: { seq: number; person: RosterPerson }[]):
  { ok: true; model: BaNoticeModel } | { ok: false; missing?: MissingElement[]; reason: string } {
  if (i.context.facts.entity.type !== 'business_associate') {
    return { ok: false, reason: "this incident is a covered entity's own: the business associate notice (45 CFR 164.410) is for a business associate" };
  }
  const missing: MissingElement[] = [];
  if (!i.practiceName) missing.push({ element: "the business associate's name", field: 'settings.practiceName', citation: '45 CFR 164.410' });
  if (!i.content.coveredEntityName) missing.push({ element: 'the covered entity notified', field: 'noticeContent.coveredEntityName', citation: '45 CFR 164.410(a)' });
  if (missing.length) return { ok: false, missing, reason: 'required elements are missing' };
  const n = noticeModel(i);
  const c = i.content;
  return {
    ok: true,
    model: {
      baName: i.practiceName!, coveredEntityName: c.coveredEntityName!, reference: i.context.reference, dateText: longDate(i.today),
      discoveryDateText: `We discovered it on ${longDate(i.context.plan.discoveryDate)}.`,
      whatHappened: c.whatHappened ?? null, breachDateText: n.ok ? n.model.breachDateText : null,
      phiTypes: n.ok ? n.model.phiTypes : (c.phiTypes ?? []).map((t) => PHI_TYPES[t][2]), whatWeAreDoing: c.whatWeAreDoing ?? null,
      count: formatCount(people.length),
      contact: { contactPersonName: null, contactPersonPhone: null, contactPersonEmail: null, ...i.contact } as PracticeContact,
      individuals: people.map(({ seq, person }) => ({
        number: seq, name: person.name, addressLines: person.address ? addressLines(person.address) : ['no address on file'],
        state: person.residentState, status: STATUS_WORDS(person),
      })),
    },
  };
}

export interface InsurerModel {
  carrier: string;
  policyNumber: string | null;
  namedInsured: string;
  broker: string | null;
  reference: string;
  dateText: string;
  discovery: string;
  howDiscovered: string | null;
  nature: string;
  systems: string | null;
  dataCategories: string[];
  individuals: string;
  states: string;
  containment: { item: string; status: string }[];
  lawEnforcement: string;
  deadlines: { what: string; dueOn: string; citation: string }[];
  contactName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
}

/** The insurer's first notice of loss (the policy's notice conditions): what the carrier needs, marked preliminary. */
export function insurerModel(i: DocumentInputs): { ok: true; model: InsurerModel } | { ok: false; missing: MissingElement[] } {
  const policy = i.context.insurance.policy;
  const missing: MissingElement[] = [];
  if (!policy) missing.push({ element: 'the cyber policy (carrier and notice window)', field: 'event insurance.policyRecorded', citation: "the policy's notice conditions (not a HIPAA rule)" });
  if (!i.practiceName) missing.push({ element: "the practice's name (the named insured)", field: 'settings.practiceName', citation: "the policy's named insured and notice conditions (not a HIPAA rule)" });
  if (missing.length) return { ok: false, missing };
  const { facts, plan, context } = { facts: i.context.facts, plan: i.context.plan, context: i.context };
  const discovery = 'at' in facts.discovery ? `${facts.discovery.at} (${facts.discovery.timezone}), local date ${longDate(plan.discoveryDate)}` : longDate(plan.discoveryDate);
  const byState = Object.entries(facts.affected.byJurisdiction ?? {}).map(([s, n]) => `${s} ${formatCount(n ?? 0)}`).join(', ');
  const hold = facts.lawEnforcementDelay;
  return {
    ok: true,
    model: {
      carrier: policy!.carrier,
      policyNumber: policy!.policyNumber ?? null,
      namedInsured: i.practiceName!,
      broker: i.contact.broker ?? null,
      reference: context.reference,
      dateText: longDate(i.today),
      discovery,
      howDiscovered: i.content.howDiscovered ?? null,
      nature: [i.content.typeOfBreach?.map((t) => BREACH_TYPES[t]).join(', '), i.content.whatHappened ?? context.summary].filter(Boolean).join(': '),
      systems: i.content.systemsAffected ?? null,
      dataCategories: (i.content.phiTypes ?? []).map((t) => PHI_TYPES[t][1]),
      individuals: `${formatCount(facts.affected.total)} (estimate)`,
      states: byState || 'not yet known',
      containment: Object.entries(context.containment).map(([k, v]) => ({ item: CONTAINMENT_LABELS[k as keyof typeof CONTAINMENT_LABELS], status: v.status.replace('_', ' ') })),
      lawEnforcement: hold ? `${hold.statement} statement received ${longDate(hold.receivedOn)}${hold.delayUntil ? `, asking to delay notice until ${longDate(hold.delayUntil)}` : ''}` : 'none recorded',
      deadlines: plan.obligations.map((o) => ({ what: `${o.regime} ${o.recipient}`, dueOn: longDate(o.dueOn), citation: o.citation })),
      contactName: i.contact.contactPersonName ?? i.contact.signatoryName ?? null,
      contactPhone: i.contact.contactPersonPhone ?? null,
      contactEmail: i.contact.contactPersonEmail ?? i.contact.email ?? null,
    },
  };
}
