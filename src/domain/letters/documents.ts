import { CONTAINMENT_LABELS, IncidentContext } from '../lifecycle/incident.types';
import { addDays, LocalDate, parseLocalDate } from '../rules/calendar';
import { Jurisdiction } from '../rules/facts';
import { formatCount } from '../rules/format';
import { jurisdictionName } from '../rules/jurisdiction-names';
import { RosterPerson } from '../roster/roster';
import { BREACH_TYPES, NoticeContent, PHI_TYPES, PracticeContact } from './notice-content';

/** One element a notice cannot go out without, and the rule that asks for it. */
export interface MissingElement {
  element: string;
  /** Where to fill it in: the settings or the incident's notice content. */
  field: string;
  citation: string;
}

/** The five elements of 164.404(c), in plain words, shared by letters, substitute and media notices. */
export interface NoticeModel {
  practiceName: string;
  reference: string;
  whatHappened: string;
  breachDateText: string;
  discoveryDateText: string;
  phiTypes: string[];
  otherPhi: string | null;
  stepsForIndividuals: string;
  whatWeAreDoing: string;
  creditMonitoring: string | null;
  /** The offers state laws require in the letters to their residents, from the plan. */
  stateOffers: Partial<Record<Jurisdiction, StateOffer>>;
  contact: { tollFreePhone: string; email: string | null; website: string | null; postalAddressLines: string[] | null };
  signatoryName: string | null;
  signatoryTitle: string | null;
  dateText: string;
  /** The dates and PHI types as data, for a letter in another language (its template words them). */
  facts: { today: LocalDate; discovered: LocalDate; breachStart: LocalDate | null; breachEnd: LocalDate | null; phiTypes: string[] };
}

/** A state's required offer as a letter prints it (MA 18 months, CT 24, DE 12 ...). */
export interface StateOffer {
  stateName: string;
  months: number;
  what: string;
  citation: string;
}

/** The credit-monitoring offers of the plan, by the state whose residents are owed them. */
export function stateOffersOf(obligations: IncidentContext['plan']['obligations']): Partial<Record<Jurisdiction, StateOffer>> {
  const out: Partial<Record<Jurisdiction, StateOffer>> = {};
  for (const o of obligations) {
    if (o.creditMonitoring && o.jurisdiction) {
      out[o.jurisdiction] = { stateName: jurisdictionName(o.jurisdiction), months: o.creditMonitoring.months, what: o.creditMonitoring.what, citation: o.citation };
    }
  }
  return out;
}

export interface DocumentInputs {
  practiceName: string | null;
  contact: PracticeContact;
  content: NoticeContent;
  context: IncidentContext;
  today: LocalDate;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 2026-03-02 as "March 2, 2026". */
export function longDate(date: LocalDate): string {
  const d = parseLocalDate(date)!;
  return `${MONTHS[d.month - 1]} ${d.day}, ${d.year}`;
}

export function addressLines(a: { line1: string; line2?: string; city: string; state: string; postalCode: string }): string[] {
  return [a.line1, ...(a.line2 ? [a.line2] : []), `${a.city}, ${a.state} ${a.postalCode}`];
}

/**
 * The notice's content, or every required element that is missing (164.404(c)(1)(A)-(E); the
 * engine's reading of (E) is a toll-free number plus one of email, website or postal address,
 * as the regulation lists them). A notice with a hole is never rendered.
 */
export function noticeModel(i: DocumentInputs): { ok: true; model: NoticeModel } | { ok: false; missing: MissingElement[] } {
  const { content: c, contact } = i;
  const missing: MissingElement[] = [];
  const need = (present: unknown, element: string, field: string, citation: string) => {
    if (present === undefined || present === null || present === '' || (Array.isArray(present) && present.length === 0)) missing.push({ element, field, citation });
  };
  need(i.practiceName, "the practice's name", 'settings.practiceName', '45 CFR 164.404(c)(1)');
  need(c.whatHappened, 'a brief description of what happened', 'noticeContent.whatHappened', '45 CFR 164.404(c)(1)(A)');
  need(c.breachDates, 'the date of the breach, or "unknown" if it is not known', 'noticeContent.breachDates', '45 CFR 164.404(c)(1)(A)');
  need(c.phiTypes?.length || c.otherPhi ? 'x' : undefined, 'the types of unsecured PHI involved', 'noticeContent.phiTypes', '45 CFR 164.404(c)(1)(B)');
  need(c.stepsForIndividuals, 'the steps individuals should take to protect themselves', 'noticeContent.stepsForIndividuals', '45 CFR 164.404(c)(1)(C)');
  need(c.whatWeAreDoing, 'what the practice is doing to investigate, mitigate harm and protect against further breaches', 'noticeContent.whatWeAreDoing', '45 CFR 164.404(c)(1)(D)');
  need(contact.tollFreePhone, 'a toll-free telephone number', 'settings.contact.tollFreePhone', '45 CFR 164.404(c)(1)(E)');
  need(contact.email ?? contact.website ?? contact.postalAddress, 'an email address, website or postal address to reach the practice', 'settings.contact.email | website | postalAddress', '45 CFR 164.404(c)(1)(E)');
  if (missing.length) return { ok: false, missing };
  const dates = c.breachDates!;
  const breachDateText = dates === 'unknown'
    ? 'We have not been able to determine the date of the breach.'
    : dates.end && dates.end !== dates.start
      ? `The breach happened between ${longDate(dates.start)} and ${longDate(dates.end)}.`
      : `The breach happened on ${longDate(dates.start)}.`;
  return {
    ok: true,
    model: {
      practiceName: i.practiceName!,
      reference: i.context.reference,
      whatHappened: literalLines(c.whatHappened!),
      breachDateText,
      discoveryDateText: `We discovered it on ${longDate(i.context.plan.discoveryDate)}.`,
      phiTypes: (c.phiTypes ?? []).map((t) => PHI_TYPES[t][2]),
      otherPhi: c.otherPhi ? literalLines(c.otherPhi) : null,
      stepsForIndividuals: literalLines(c.stepsForIndividuals!),
      whatWeAreDoing: literalLines(c.whatWeAreDoing!),
      creditMonitoring: c.creditMonitoring ? literalLines(c.creditMonitoring) : null,
      stateOffers: stateOffersOf(i.context.plan.obligations),
      contact: {
        tollFreePhone: contact.tollFreePhone!,
        email: contact.email ?? null,
        website: contact.website ?? null,
        postalAddressLines: contact.postalAddress ? addressLines(contact.postalAddress) : null,
      },
      signatoryName: contact.signatoryName ?? null,
      signatoryTitle: contact.signatoryTitle ?? null,
      dateText: longDate(i.today),
      facts: {
        today: i.today, discovered: i.context.plan.discoveryDate, breachStart: dates === 'unknown' ? null : dates.start,
        breachEnd: dates === 'unknown' || !dates.end || dates.end === dates.start ? null : dates.end, phiTypes: c.phiTypes ?? [],
      },
    },
  };
}

export type LetterVariant = 'individual' | 'individual-next-of-kin' | 'individual-guardian';

export interface LetterModel extends NoticeModel {
  addressee: string;
  addressLines: string[];
  patientName: string;
  roleWords: string | null;
  /** The offer the person's state requires, with their enrollment code when the roster has one. */
  stateOffer: (StateOffer & { enrollmentCode: string | null }) | null;
}

const ROLE_WORDS: Record<string, string> = {
  next_of_kin: 'next of kin', personal_representative: 'personal representative', parent: 'parent', guardian: 'guardian',
};

function offerFor(notice: NoticeModel, p: RosterPerson): LetterModel['stateOffer'] {
  const offer = notice.stateOffers[p.residentState];
  return offer ? { ...offer, enrollmentCode: p.enrollmentCode ?? null } : null;
}

/** Which letter a person gets: to them, to the next of kin of a deceased person, or to a minor's parent or guardian (164.404(d)(1)(ii), 164.502(g)). */
export function letterFor(notice: NoticeModel, p: RosterPerson): { variant: LetterVariant; model: LetterModel } {
  const variant: LetterVariant = p.status === 'deceased' ? 'individual-next-of-kin' : p.status === 'minor' ? 'individual-guardian' : 'individual';
  return {
    variant,
    model: {
      ...notice,
      addressee: p.representative?.name ?? p.name,
      addressLines: p.address ? addressLines(p.address) : [],
      patientName: p.name,
      roleWords: p.representative ? ROLE_WORDS[p.representative.role] : null,
      stateOffer: offerFor(notice, p),
    },
  };
}

export interface SubstituteModel extends NoticeModel {
  form: 'alternative' | 'web_or_media_with_toll_free';
  unreachable: string;
  postingStartText: string;
  postingEndText: string;
  citation: string;
}

/** Substitute notice (164.404(d)(2)): the 90-day web posting and media notice, or the alternative for 1 to 9. */
export function substituteModel(notice: NoticeModel, i: DocumentInputs, postingStart: LocalDate): { ok: true; model: SubstituteModel } | { ok: false; reason: string } {
  const o = i.context.plan.obligations.find((x) => x.regime === 'HIPAA' && x.audience === 'substitute_notice');
  if (!o?.form) return { ok: false, reason: 'the plan has no substitute notice: every individual can be reached by mail or email (45 CFR 164.404(d)(2))' };
  return {
    ok: true,
    model: {
      ...notice,
      form: o.form,
      unreachable: formatCount(i.context.facts.affected.insufficientContact ?? 0),
      postingStartText: longDate(postingStart),
      postingEndText: longDate(addDays(postingStart, 90)),
      citation: o.citation,
    },
  };
}

export interface MediaModel extends NoticeModel {
  jurisdiction: string;
  residents: string;
  citation: string;
}

/** A press release for one state or jurisdiction with more than 500 residents affected (164.406). */
export function mediaModel(notice: NoticeModel, i: DocumentInputs, jurisdiction: Jurisdiction): { ok: true; model: MediaModel } | { ok: false; reason: string } {
  const o = i.context.plan.obligations.find((x) => x.regime === 'HIPAA' && x.audience === 'media' && x.jurisdiction === jurisdiction);
  const residents = i.context.facts.affected.byJurisdiction?.[jurisdiction] ?? 0;
  if (!o) return { ok: false, reason: `no media notice is required for ${jurisdiction}: ${formatCount(residents)} residents affected, and 45 CFR 164.406 asks for one only above 500` };
  return { ok: true, model: { ...notice, jurisdiction: jurisdictionName(jurisdiction), residents: formatCount(residents), citation: o.citation } };
}

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

/**
 * A practice's own text, put into a letter: a line of it that starts like the letters' markup (`#`
 * a heading, `-` a bullet, `\\` the escape itself) is marked literal, so typed text never adds a
 * heading or a bullet to a patient's letter.
 */
export function literalLines(text: string): string {
  return text.replace(/^([ \t]*)([#\-\\])/gm, '$1\\$2');
}
