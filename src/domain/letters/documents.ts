import { IncidentContext } from '../lifecycle/incident.types';
import { LocalDate, parseLocalDate } from '../rules/calendar';
import { Jurisdiction } from '../rules/facts';
import { jurisdictionName } from '../rules/jurisdiction-names';
import { RosterPerson } from '../roster/roster';
import { NoticeContent, PHI_TYPES, PracticeContact } from './notice-content';

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

export const ROLE_WORDS: Record<string, string> = {
  next_of_kin: 'next of kin', personal_representative: 'personal representative', parent: 'parent', guardian: 'guardian',
};

function offerFor(notice: NoticeModel, p: RosterPerson): LetterModel['stateOffer'] {
  const offer = notice.stateOffers[p.residentState];
  return offer ? { ...offer, enrollmentCode: p.enrollmentCode ?? null } : null;
}

/** Which letter a person gets: to them, to the next of kin of a deceased person, or to a minor's parent or guardian (164.404(d)(1)(ii), 164.502(g)). */
export function letterFor(notice: NoticeModel, p: RosterPerson): { variant: LetterVariant; model: LetterModel } {
  const variant: LetterVariant = p.status === 'deceased' ? 'individual-next-of-kin' : p.status === 'minor' ? 'individual-guardian' : 'individual';
  // Every field written out, not `...notice`: spreading the notice's object into each letter's model
  // measured some 30x slower than this literal, on every letter of a batch (bench/letters, render).
  const n = notice;
  return {
    variant,
    model: {
      practiceName: n.practiceName, reference: n.reference, whatHappened: n.whatHappened, breachDateText: n.breachDateText, discoveryDateText: n.discoveryDateText,
      phiTypes: n.phiTypes, otherPhi: n.otherPhi, stepsForIndividuals: n.stepsForIndividuals, whatWeAreDoing: n.whatWeAreDoing, creditMonitoring: n.creditMonitoring,
      stateOffers: n.stateOffers, contact: n.contact, signatoryName: n.signatoryName, signatoryTitle: n.signatoryTitle, dateText: n.dateText, facts: n.facts,
      addressee: p.representative?.name ?? p.name,
      addressLines: p.address ? addressLines(p.address) : [],
      patientName: p.name,
      roleWords: p.representative ? ROLE_WORDS[p.representative.role] : null,
      stateOffer: offerFor(notice, p),
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
