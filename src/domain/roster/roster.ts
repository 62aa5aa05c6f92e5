import { Jurisdiction, JURISDICTIONS } from '../rules/facts';
import { FieldError, isEmail } from '../validation';

/**
 * One affected individual from an uploaded roster. Every field here but `residentState`,
 * `status`, `representativeRole` and `emailConsent` is PHI and is stored sealed (encrypted).
 */
export interface RosterPerson {
  name: string;
  /** Where the letter goes: the person's own address, or the representative's. */
  address: { line1: string; line2: string; city: string; state: Jurisdiction; postalCode: string } | null;
  /** Where the person lives: counts toward that state's residents (164.406, state laws). */
  residentState: Jurisdiction;
  email: string | null;
  /** The person agreed to electronic notice and has not withdrawn it (164.404(d)(1)(i)). */
  emailConsent: boolean;
  status: PersonStatus;
  representative: { name: string; role: RepresentativeRole } | null;
  /** The person's code for the credit-monitoring offer a state requires (MA, CT, DE ...), if given. */
  enrollmentCode?: string;
  /** The language of the letter (two letters, e.g. es), when the roster names one other than English. */
  language?: string;
}

export const PERSON_STATUSES = ['living', 'deceased', 'minor'] as const;
export type PersonStatus = (typeof PERSON_STATUSES)[number];

export const REPRESENTATIVE_ROLES = {
  deceased: ['next_of_kin', 'personal_representative'],
  minor: ['parent', 'guardian'],
} as const;
export type RepresentativeRole = (typeof REPRESENTATIVE_ROLES)[keyof typeof REPRESENTATIVE_ROLES][number];

/** The roster CSV's columns; the first row names them, in any order, any case. */
export const ROSTER_COLUMNS = [
  'name', 'state', 'address1', 'address2', 'city', 'mail_state', 'postal_code', 'email', 'email_consent', 'status',
  'representative_name', 'representative_role', 'enrollment_code', 'language',
] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];
export const REQUIRED_COLUMNS: readonly RosterColumn[] = ['name', 'state'];

/** How the notice reaches the person (164.404(d)): email where agreed, else first-class mail. */
export type Delivery = 'email' | 'mail' | 'none';

/** A person's number on a roster (the manifest's person column): 1 up to the largest the database's integer column holds. */
export function isPersonNumber(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 2_147_483_647;
}

/** Checks the header row; the errors name the columns, not any person. */
export function checkRosterHeader(header: string[]): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of header.entries()) {
    const col = normalizeColumn(raw);
    if (!(ROSTER_COLUMNS as readonly string[]).includes(col)) {
      // Never the cell itself: a file without its header row has a person's name or address there.
      errors.push({ path: `header, column ${i + 1}`, message: `is not a column breachflow knows; a roster's first row names its columns (expected: ${ROSTER_COLUMNS.join(', ')})` });
    } else if (seen.has(col)) {
      errors.push({ path: `header, column ${i + 1}`, message: `column ${col} appears twice` });
    }
    seen.add(col);
  }
  for (const col of REQUIRED_COLUMNS) if (!seen.has(col)) errors.push({ path: 'header', message: `the column ${col} is required` });
  return errors;
}

export function normalizeColumn(raw: string): string {
  return raw.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

const ZIP = /^\d{5}(-\d{4})?$/;
const ENROLLMENT_CODE = /^[A-Za-z0-9-]{1,64}$/;
const YES = ['yes', 'y', 'true', '1'];
const NO = ['no', 'n', 'false', '0', ''];

/**
 * Validates one data row (already keyed by normalized column). Errors carry the row number and the
 * column and never echo a personal value: they end up in API responses and logs.
 */
export function parseRosterRow(row: Partial<Record<RosterColumn, string>>, rowNo: number): { person: RosterPerson } | { errors: FieldError[] } {
  const errors: FieldError[] = [];
  const at = (col: RosterColumn) => `row ${rowNo}, ${col}`;
  const get = (col: RosterColumn) => (row[col] ?? '').trim();
  const jurisdiction = (col: RosterColumn, value: string): Jurisdiction | undefined => {
    const code = value.toUpperCase();
    if ((JURISDICTIONS as readonly string[]).includes(code)) return code as Jurisdiction;
    errors.push({ path: at(col), message: value ? 'is not a state, DC or territory code (two letters, e.g. NY)' : 'is required' });
    return undefined;
  };

  // A line break or other control character in a field would start a heading or a bullet in the
  // letter; NUL, a stray byte-order mark or undecodable bytes (U+FFFD) are not text a person wrote.
  for (const [col, value] of Object.entries(row) as [RosterColumn, string | undefined][]) {
    if (value !== undefined && /[\u0000-\u001f\u007f\ufeff\ufffd]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
      errors.push({ path: at(col), message: 'holds a line break, a control character or bytes that are not text; write the value on one line' });
    }
  }
  const name = get('name');
  if (!name) errors.push({ path: at('name'), message: 'is required' });
  else if (name.length > 200) errors.push({ path: at('name'), message: 'is longer than 200 characters' });
  const residentState = jurisdiction('state', get('state'));

  const [line1, line2, city, postalCode] = [get('address1'), get('address2'), get('city'), get('postal_code')];
  const anyAddress = line1 || line2 || city || postalCode || get('mail_state');
  let address: RosterPerson['address'] = null;
  if (anyAddress) {
    const mailState = get('mail_state') ? jurisdiction('mail_state', get('mail_state')) : residentState;
    if (postalCode && !ZIP.test(postalCode)) errors.push({ path: at('postal_code'), message: 'must be a ZIP code: 5 digits, or ZIP+4 (12345-6789)' });
    for (const [col, v] of [['address1', line1], ['address2', line2], ['city', city]] as const) {
      if (v.length > 200) errors.push({ path: at(col), message: 'is longer than 200 characters' });
    }
    // An address missing its street, city or ZIP cannot carry a letter: insufficient contact, not an error.
    if (line1 && city && postalCode && mailState) address = { line1, line2, city, state: mailState, postalCode };
  }

  const email = get('email') || null;
  if (email && !isEmail(email)) errors.push({ path: at('email'), message: 'is not an email address' });
  const consentText = get('email_consent').toLowerCase();
  let emailConsent = false;
  if (YES.includes(consentText)) emailConsent = true;
  else if (!NO.includes(consentText)) errors.push({ path: at('email_consent'), message: 'must be yes or no' });
  if (emailConsent && !email) errors.push({ path: at('email_consent'), message: 'is yes but there is no email address' });

  const statusText = get('status').toLowerCase() || 'living';
  const status = (PERSON_STATUSES as readonly string[]).includes(statusText) ? (statusText as PersonStatus) : undefined;
  if (!status) errors.push({ path: at('status'), message: `must be one of: ${PERSON_STATUSES.join(', ')} (empty means living)` });

  const repName = get('representative_name');
  const repRole = get('representative_role').toLowerCase();
  let representative: RosterPerson['representative'] = null;
  if (status === 'deceased' || status === 'minor') {
    const roles: readonly string[] = REPRESENTATIVE_ROLES[status];
    if (!repName) errors.push({ path: at('representative_name'), message: `is required for a ${status} person: the letter is addressed to them (164.404(d)(1)(ii), 164.502(g))` });
    if (!roles.includes(repRole)) errors.push({ path: at('representative_role'), message: `must be one of: ${roles.join(', ')} for a ${status} person` });
    if (repName && roles.includes(repRole)) representative = { name: repName, role: repRole as RepresentativeRole };
  } else if (repName || repRole) {
    errors.push({ path: at('representative_name'), message: 'is only for a deceased or minor person (set status)' });
  }

  const enrollmentCode = get('enrollment_code');
  if (enrollmentCode && !ENROLLMENT_CODE.test(enrollmentCode)) errors.push({ path: at('enrollment_code'), message: 'must be 1 to 64 letters, digits or dashes' });
  const languageText = get('language').toLowerCase();
  const language = languageText === '' || languageText === 'en' ? undefined : /^[a-z]{2}$/.test(languageText) ? languageText : null;
  if (language === null) errors.push({ path: at('language'), message: 'must be a two-letter language code, e.g. es (empty means English)' });

  if (errors.length) return { errors };
  return { person: { name, address, residentState: residentState!, email, emailConsent, status: status!, representative, ...(enrollmentCode ? { enrollmentCode } : {}), ...(language ? { language } : {}) } };
}

/** Email where the person agreed; first-class mail to a full address not returned; else none. */
export function deliveryOf(p: Pick<RosterPerson, 'address' | 'email' | 'emailConsent'>, mailReturned: boolean): Delivery {
  if (p.emailConsent && p.email) return 'email';
  if (p.address && !mailReturned) return 'mail';
  return 'none';
}

/** What makes two rows the same person: the name and the mailing address, normalized. */
export function identityBasis(p: RosterPerson): string {
  const norm = (s: string) => s.normalize('NFKC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const a = p.address;
  return [norm(p.name), p.residentState, a ? norm(a.line1) : '', a ? a.postalCode.slice(0, 5) : '', norm(p.email ?? '')].join('|');
}
