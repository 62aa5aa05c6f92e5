import { DataElement } from '../facts';
import { PersonalInformationRule } from './pack-types';

/**
 * Whether the data involved is "personal information" under a state's definition (contract,
 * "What data was involved"). Unknown data is the cautious answer: the law is planned and the plan
 * says which data would decide it.
 */

export const ELEMENT_WORDS: Record<DataElement, string> = {
  name: 'names',
  address: 'addresses',
  date_of_birth: 'dates of birth',
  ssn: 'Social Security numbers',
  drivers_license: "driver's license or state ID numbers",
  government_id: 'passport, military, tribal or taxpayer ID numbers',
  financial_account: 'bank account or card numbers',
  medical: 'diagnoses or treatment (medical information)',
  health_insurance: 'insurance member or policy numbers',
  biometric: 'biometric data (fingerprints, face or voice prints)',
  username_password: 'usernames or e-mail addresses with their passwords',
  other: 'other data',
};

export function elementList(elements: readonly DataElement[]): string {
  const words = elements.map((e) => ELEMENT_WORDS[e]);
  return words.length <= 1 ? (words[0] ?? 'nothing') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

export type TriggerResult =
  | { outcome: 'triggered'; elements: DataElement[]; verifyWhy?: string }
  | { outcome: 'unknown'; why: string }
  | { outcome: 'not_covered'; why: string; verify: boolean };

/** The answer for one definition and one list of data involved depends on nothing else: it is
 *  worked out once per pack entry and list (a plan of every jurisdiction asks 54 times with the
 *  same list, and every plan of a practice with the same few lists). Results are read-only. */
const answers = new WeakMap<PersonalInformationRule, { statute: string; byList: Map<string, TriggerResult> }>();
/** The cache key of a list of data elements, once per list. */
const listKeys = new WeakMap<readonly DataElement[], string>();
/** Each definition sees at most a few dozen distinct lists in practice; a bound keeps junk out. */
const ANSWERS_PER_RULE_MAX = 4096;

function listKey(involved: readonly DataElement[] | undefined): string {
  if (involved === undefined) return '?';
  let key = listKeys.get(involved);
  if (key === undefined) listKeys.set(involved, (key = involved.join(',')));
  return key;
}

export function triggerOf(pi: PersonalInformationRule, statute: string, involved: readonly DataElement[] | undefined): TriggerResult {
  let memo = answers.get(pi);
  if (!memo || memo.statute !== statute) answers.set(pi, (memo = { statute, byList: new Map() }));
  const key = listKey(involved);
  let result = memo.byList.get(key);
  if (result === undefined) {
    result = decideTrigger(pi, statute, involved);
    if (memo.byList.size >= ANSWERS_PER_RULE_MAX) memo.byList.clear();
    memo.byList.set(key, result);
  }
  return result;
}

function decideTrigger(pi: PersonalInformationRule, statute: string, involved: readonly DataElement[] | undefined): TriggerResult {
  if (involved === undefined) {
    const withName = pi.withName.length ? `a name together with ${elementList(pi.withName)}` : '';
    const alone = pi.alone.length ? `${elementList(pi.alone)} on their own` : '';
    return {
      outcome: 'unknown',
      why: `Which data was involved is not recorded: ${statute} applies only if it included ${[withName, alone].filter(Boolean).join(', or ')}. Record the data elements (dataElements) to decide it.`,
    };
  }
  const alone = pi.alone.filter((e) => involved.includes(e));
  const withName = involved.includes('name') ? pi.withName.filter((e) => involved.includes(e)) : [];
  if (alone.length || withName.length) return { outcome: 'triggered', elements: [...new Set([...alone, ...withName])] };
  const other = pi.otherElements;
  if (other && involved.includes('other') && (!other.withName || involved.includes('name'))) {
    return {
      outcome: 'triggered', elements: [],
      verifyWhy: `"Other" data was involved, and ${statute} also covers ${other.covers}${other.withName ? ' together with the name' : ''}, which the data-element list has no word for: planned as if the other data were one of these. Confirm what it was; if it was none of them, ${statute} requires no notice.`,
    };
  }
  const missingName = !involved.includes('name') && pi.withName.some((e) => involved.includes(e));
  const why = missingName
    ? `${statute} covers ${elementList(pi.withName.filter((e) => involved.includes(e)))} only together with the person's name, and no names were involved.`
    : `${statute} does not cover the data involved (${elementList(involved)}): its definition of personal information names ${elementList([...pi.alone, ...pi.withName])}.`;
  return involved.includes('other')
    ? { outcome: 'not_covered', why: `${why} "Other" data was involved too: confirm it is none of these.`, verify: true }
    : { outcome: 'not_covered', why, verify: false };
}
