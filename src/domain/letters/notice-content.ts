import { isLocalDate, LocalDate } from '../rules/calendar';
import { JURISDICTIONS, Jurisdiction } from '../rules/facts';
import { Checker, isEmail, JsonObject } from '../validation';

/**
 * What an incident's notices say, beyond the facts the plan needs: the five elements of
 * 164.404(c) and the OCR portal's questions (45 CFR 164.408). Written by the privacy officer in plain
 * words and about the incident, never about a person: no PHI goes in here.
 */
export interface NoticeContent {
  whatHappened?: string;
  /** When the breach happened; `unknown` when it cannot be dated (164.404(c)(1)(A) "if known"). */
  breachDates?: { start: LocalDate; end?: LocalDate } | 'unknown';
  /** The last day of the discovery window, when discovery took more than a day (OCR portal). */
  discoveryEnd?: LocalDate;
  phiTypes?: PhiType[];
  otherPhi?: string;
  stepsForIndividuals?: string;
  whatWeAreDoing?: string;
  /** Optional offer, e.g. "12 months of free credit monitoring through ...". */
  creditMonitoring?: string;
  typeOfBreach?: BreachType[];
  locations?: BreachLocation[];
  safeguardsInPlace?: Safeguard[];
  actionsTaken?: ActionTaken[];
  /** For the insurer: how the practice's leadership first learned of it. */
  howDiscovered?: string;
  systemsAffected?: string;
  /** For a business associate: the covered entity it notifies (164.410). */
  coveredEntityName?: string;
}

/** OCR portal "Type of PHI involved" (top groups confirmed, sub-options unverified), in plain words for letters (neutral, so they read right in a letter to a next of kin or a parent). */
export const PHI_TYPES = {
  name: ['Demographic', 'Name', 'name'],
  address: ['Demographic', 'Address/ZIP', 'address'],
  date_of_birth: ['Demographic', 'Date of Birth', 'date of birth'],
  ssn: ['Demographic', 'SSN', 'Social Security number'],
  drivers_license: ['Demographic', "Driver's License", "driver's license number"],
  other_identifier: ['Demographic', 'Other Identifier', 'an identifier such as a patient or member number'],
  diagnosis: ['Clinical', 'Diagnosis/Conditions', 'diagnoses or conditions'],
  lab_results: ['Clinical', 'Lab Results', 'lab results'],
  medications: ['Clinical', 'Medications', 'medications'],
  treatment: ['Clinical', 'Other Treatment Information', 'other treatment information'],
  claims: ['Financial', 'Claims Information', 'health insurance claims information'],
  payment_card_or_bank: ['Financial', 'Credit Card/Bank Acct #', 'credit card or bank account numbers'],
  other_financial: ['Financial', 'Other Financial Information', 'other financial information'],
} as const;
export type PhiType = keyof typeof PHI_TYPES;

export const BREACH_TYPES = {
  hacking: 'Hacking/IT Incident', improper_disposal: 'Improper Disposal', loss: 'Loss', theft: 'Theft',
  unauthorized_access: 'Unauthorized Access/Disclosure',
} as const;
export type BreachType = keyof typeof BREACH_TYPES;

export const LOCATIONS = {
  desktop: 'Desktop Computer', ehr: 'Electronic Medical Record', email: 'Email', laptop: 'Laptop', network_server: 'Network Server',
  portable_device: 'Other Portable Electronic Device', paper: 'Paper/Films', other: 'Other',
} as const;
export type BreachLocation = keyof typeof LOCATIONS;

/** The first two are confirmed (BakerHostetler 2015); the other three are unverified (OCR breach portal). */
export const SAFEGUARDS = {
  none: 'None',
  privacy_rule: 'Privacy Rule Safeguards (Training, Policies and Procedures, etc.)',
  security_administrative: 'Security Rule Administrative Safeguards (Risk Analysis, Risk Management, etc.)',
  security_physical: 'Security Rule Physical Safeguards (Facility Access Controls, Workstation Security, etc.)',
  security_technical: 'Security Rule Technical Safeguards (Access Controls, Transmission Security, Audit Controls, etc.)',
} as const;
export type Safeguard = keyof typeof SAFEGUARDS;

/** Likely options, unverified against the current portal (OCR breach portal). */
export const ACTIONS = {
  encryption: 'Adopted encryption technologies',
  passwords: 'Changed password/strong password requirements',
  risk_management_plan: 'Created a new/updated Security Rule Risk Management Plan',
  technical_safeguards: 'Implemented new technical safeguards',
  evaluations: 'Implemented periodic technical and nontechnical evaluations',
  physical_security: 'Improved physical security',
  risk_analysis: 'Performed a new/updated Security Rule Risk Analysis',
  ba_training: 'Provided business associate with additional training on HIPAA requirements',
  credit_monitoring: 'Provided individuals with free credit monitoring',
  ba_contracts: 'Revised business associate contracts',
  policies: 'Revised policies and procedures',
  sanctions: 'Sanctioned workforce members involved (including termination)',
  mitigation: 'Took steps to mitigate harm',
  training: 'Trained or retrained workforce members',
  other: 'Other',
} as const;
export type ActionTaken = keyof typeof ACTIONS;

const TEXT_FIELDS = ['whatHappened', 'otherPhi', 'stepsForIndividuals', 'whatWeAreDoing', 'creditMonitoring', 'howDiscovered', 'systemsAffected', 'coveredEntityName'] as const;
const LIST_FIELDS = { phiTypes: PHI_TYPES, typeOfBreach: BREACH_TYPES, locations: LOCATIONS, safeguardsInPlace: SAFEGUARDS, actionsTaken: ACTIONS } as const;

/** A change of the notice content: a field given replaces it, `null` clears it, a field left out is kept. */
export type NoticeContentPatch = { [K in keyof NoticeContent]?: NoticeContent[K] | null };

const CONTENT_KEYS = [...TEXT_FIELDS, ...Object.keys(LIST_FIELDS), 'breachDates', 'discoveryEnd'] as (keyof NoticeContent)[];

/**
 * Checks a change of an incident's notice content; every field is optional (a draft), and a field
 * may be `null` to clear it. Saving one field never touches the others (an owner's description,
 * location and breach date survive the privacy officer's edit of the letter text).
 */
export function checkNoticeContent(c: Checker, v: unknown): NoticeContentPatch | undefined {
  const o = c.object(v, '', CONTENT_KEYS);
  if (!o) return undefined;
  const out: NoticeContentPatch = {};
  const patch = out as Record<string, unknown>;
  for (const key of CONTENT_KEYS) if (o[key] === null) patch[key] = null;
  for (const key of TEXT_FIELDS) {
    if (o[key] === undefined || o[key] === null) continue;
    const text = c.string(o[key], key);
    if (text && text.length > 4000) c.fail(key, 'is too long (4,000 characters at most)');
    else if (text) out[key] = text.trim();
  }
  for (const [key, allowed] of Object.entries(LIST_FIELDS) as [keyof typeof LIST_FIELDS, object][]) {
    const list = o[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) { c.fail(key, `must be a list of: ${Object.keys(allowed).join(', ')}`); continue; }
    list.forEach((item, i) => c.oneOf(item, `${key}[${i}]`, Object.keys(allowed)));
    patch[key] = [...new Set(list as string[])];
  }
  if (o.breachDates !== undefined && o.breachDates !== null) out.breachDates = checkBreachDates(c, o.breachDates);
  if (o.discoveryEnd !== undefined && o.discoveryEnd !== null) {
    if (isLocalDate(o.discoveryEnd)) out.discoveryEnd = o.discoveryEnd;
    else c.fail('discoveryEnd', 'must be a calendar date written YYYY-MM-DD');
  }
  return out;
}

/** The stored content with a change applied: given fields replaced, `null` fields removed, the rest kept. */
export function mergeNoticeContent(current: NoticeContent, patch: NoticeContentPatch): NoticeContent {
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  return next as NoticeContent;
}

function checkBreachDates(c: Checker, v: unknown): NoticeContent['breachDates'] {
  if (v === 'unknown') return 'unknown';
  const o = c.object(v, 'breachDates', ['start', 'end']);
  if (!o) return undefined;
  if (!isLocalDate(o.start)) return c.fail('breachDates.start', 'must be a calendar date written YYYY-MM-DD (or set breachDates to "unknown")');
  if (o.end === undefined) return { start: o.start };
  if (!isLocalDate(o.end)) return c.fail('breachDates.end', 'must be a calendar date written YYYY-MM-DD');
  if (o.end < o.start) return c.fail('breachDates.end', 'is before breachDates.start');
  return { start: o.start, end: o.end };
}

/** How people reach the practice about the breach: part of the practice settings. */
export interface PracticeContact {
  tollFreePhone?: string;
  email?: string;
  website?: string;
  postalAddress?: { line1: string; line2?: string; city: string; state: Jurisdiction; postalCode: string };
  signatoryName?: string;
  signatoryTitle?: string;
  /** OCR portal: the covered entity's type. */
  entityType?: 'Health Plan' | 'Healthcare Clearinghouse' | 'Healthcare Provider';
  /** OCR portal point of contact, and the insurer's broker. */
  contactPersonName?: string;
  contactPersonPhone?: string;
  contactPersonEmail?: string;
  broker?: string;
}

const ENTITY_TYPES = ['Health Plan', 'Healthcare Clearinghouse', 'Healthcare Provider'] as const;

export function checkPracticeContact(c: Checker, v: unknown, path: string): PracticeContact | undefined {
  const o = c.object(v, path, ['tollFreePhone', 'email', 'website', 'postalAddress', 'signatoryName', 'signatoryTitle', 'entityType', 'contactPersonName', 'contactPersonPhone', 'contactPersonEmail', 'broker']);
  if (!o) return undefined;
  const out: PracticeContact = {};
  const at = (k: string) => `${path}.${k}`;
  if (o.tollFreePhone !== undefined) {
    const phone = c.string(o.tollFreePhone, at('tollFreePhone'));
    const digits = phone?.replace(/\D/g, '') ?? '';
    if (phone && !/^1?8(00|33|44|55|66|77|88)\d{7}$/.test(digits)) c.fail(at('tollFreePhone'), 'must be a US toll-free number (800, 833, 844, 855, 866, 877 or 888), e.g. 1-800-555-0100');
    else if (phone) out.tollFreePhone = phone;
  }
  for (const k of ['email', 'contactPersonEmail'] as const) {
    if (o[k] === undefined) continue;
    if (isEmail(o[k])) out[k] = o[k] as string;
    else c.fail(at(k), 'must be an email address');
  }
  if (o.website !== undefined) {
    if (typeof o.website === 'string' && /^https?:\/\/[^\s/]+\S*$/.test(o.website)) out.website = o.website;
    else c.fail(at('website'), 'must be an http(s) address, e.g. https://example-clinic.org/notice');
  }
  for (const k of ['signatoryName', 'signatoryTitle', 'contactPersonName', 'contactPersonPhone', 'broker'] as const) {
    if (o[k] === undefined) continue;
    const text = c.string(o[k], at(k));
    if (text && text.length > 200) c.fail(at(k), 'is too long (200 characters at most)');
    else if (text) out[k] = text;
  }
  if (o.entityType !== undefined) out.entityType = c.oneOf(o.entityType, at('entityType'), ENTITY_TYPES);
  if (o.postalAddress !== undefined) {
    const a = c.object(o.postalAddress, at('postalAddress'), ['line1', 'line2', 'city', 'state', 'postalCode']);
    if (a) {
      const line1 = c.string(a.line1, at('postalAddress.line1'));
      const city = c.string(a.city, at('postalAddress.city'));
      const state = c.oneOf(a.state, at('postalAddress.state'), JURISDICTIONS, 'must be a state code, one of');
      const postalCode = typeof a.postalCode === 'string' && /^\d{5}(-\d{4})?$/.test(a.postalCode) ? a.postalCode : c.fail(at('postalAddress.postalCode'), 'must be a ZIP code');
      const line2 = a.line2 === undefined ? undefined : c.string(a.line2, at('postalAddress.line2'));
      if (line1 && city && state && postalCode) out.postalAddress = { line1, city, state, postalCode, ...(line2 ? { line2 } : {}) };
    }
  }
  return out;
}
