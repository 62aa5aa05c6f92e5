import { Checker, isEmail, JsonObject } from '../validation';
import { MailingRates } from '../letters/mailing-rates';
import { PracticeContact } from '../letters/notice-content';
import { ReminderSettings } from './reminder-ladder';
import type { RetentionSettings } from '../retention/retention-settings';

/** Practice settings: who is reminded, and the ladder. */
export interface PracticeSettings {
  practiceName: string | null;
  ownerEmail: string | null;
  privacyOfficerEmail: string | null;
  reminders: ReminderSettings;
  /** How patients reach the practice, and who signs and files: the letters and reports use it. */
  contact: PracticeContact;
  /** Who else is told, per kind of message (counsel, the IT vendor): copies beside the officer and the owner. */
  copyTo?: CopyTo;
  /** Postage per letter and printing per page: a mailed batch's cost enters the claim ledger by itself. */
  mailingRates?: MailingRates;
  /** How long letter files and patients' .eml copies are kept once sent (absent: kept). */
  retention?: RetentionSettings;
}

export const COPY_KINDS = ['reported', 'replanned', 'reminder'] as const;
export type CopyKind = (typeof COPY_KINDS)[number];
export type CopyTo = Partial<Record<CopyKind, string[]>>;

/** Checks the copies: per kind, a list of at most 10 email addresses (an empty list clears it). */
export function checkCopyTo(c: Checker, v: unknown, path: string): CopyTo | undefined {
  const o = c.object(v, path, COPY_KINDS);
  if (!o) return undefined;
  const out: CopyTo = {};
  for (const kind of COPY_KINDS) {
    const list = o[kind];
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.length > 10) { c.fail(`${path}.${kind}`, 'must be a list of at most 10 email addresses'); continue; }
    list.forEach((e, i) => { if (!isEmail(e)) c.fail(`${path}.${kind}[${i}]`, 'must be an email address'); });
    out[kind] = [...new Set(list as string[])];
  }
  return out;
}

export interface RetryPolicy {
  retryBackoffMinutes: number[];
  maxAttempts: number;
}

/** Kept here for the callers that import it from the reminders (it lives in ../validation). */
export { isEmail };

export function checkEmail(c: Checker, v: unknown, path: string): string | null | undefined {
  if (v === null) return null;
  return isEmail(v) ? v : c.fail(path, `must be an email address, got ${JSON.stringify(v)}`);
}

export function checkReminderSettings(c: Checker, v: unknown, path: string, partial: boolean): Partial<ReminderSettings> | undefined {
  const o: JsonObject | undefined = c.object(v, path, ['ladderDaysBefore', 'escalateFromDaysBefore', 'sendHour', 'digest']);
  if (!o) return undefined;
  const out: Partial<ReminderSettings> = {};
  const need = (key: string) => !partial && o[key] === undefined && c.fail(`${path}.${key}`, 'is required');
  need('ladderDaysBefore'); need('escalateFromDaysBefore'); need('sendHour'); need('digest');
  if (o.ladderDaysBefore !== undefined) {
    const ladder = o.ladderDaysBefore;
    if (!Array.isArray(ladder) || ladder.length === 0 || ladder.length > 20 || !ladder.every((d) => Number.isInteger(d) && d >= 0 && d <= 365)) {
      c.fail(`${path}.ladderDaysBefore`, 'must be a list of 1 to 20 whole numbers of days from 0 (the due date) to 365');
    } else out.ladderDaysBefore = ladder as number[];
  }
  if (o.escalateFromDaysBefore !== undefined) {
    const n = c.integer(o.escalateFromDaysBefore, `${path}.escalateFromDaysBefore`, 0);
    if (n !== undefined && n > 365) c.fail(`${path}.escalateFromDaysBefore`, 'must be 365 or less');
    else if (n !== undefined) out.escalateFromDaysBefore = n;
  }
  if (o.sendHour !== undefined) {
    const h = c.integer(o.sendHour, `${path}.sendHour`, 0);
    if (h !== undefined && h > 23) c.fail(`${path}.sendHour`, 'must be an hour from 0 to 23');
    else if (h !== undefined) out.sendHour = h;
  }
  if (o.digest !== undefined) {
    const d = c.boolean(o.digest, `${path}.digest`);
    if (d !== undefined) out.digest = d;
  }
  return out;
}
