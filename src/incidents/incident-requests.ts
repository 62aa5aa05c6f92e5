import { isLocalDate, LocalDate } from '../domain/rules/calendar';
import { IncidentFacts } from '../domain/rules/facts';
import { discoveryAfter, validateFacts } from '../domain/rules/validate-facts';
import { checkEmail } from '../domain/reminders/reminder-settings';
import { Checker, FieldError, Validated } from '../domain/validation';

/** Checks of what the incidents API receives, each naming the bad field. */

export const PHASES = [
  'reported', 'triage', 'containment', 'safeHarborCheck', 'riskAssessment', 'notification', 'notReportable', 'closed',
] as const;

export interface Intake {
  summary: string;
  facts: IncidentFacts;
  privacyOfficerEmail?: string | null;
}

/**
 * Dates the calendar can count from at all: a year outside these is a typing slip. A safety net
 * under the rules' own checks (a discovery or a hold past 2100 is refused there, with its reason).
 */
const YEARS = { from: 1990, to: 9999 } as const;
/** A policy's notice window, in days: ten years is already more than any insurer gives. */
const MAX_NOTICE_WINDOW_DAYS = 3650;
/** No count or number of days the engine takes is larger (the US population is about 3.4 x 10^8). */
const MAX_NUMBER = 1_000_000_000;

/**
 * Bounds every date and number of a request before the rules see it (the rules trust their input):
 * each one out of range named by its path. Walked with a stack (the body's depth is bounded already).
 */
export function boundsProblems(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { v: unknown; path: string; key: string }[] = [{ v: body, path: '', key: '' }];
  while (stack.length && errors.length < 20) {
    const { v, path, key } = stack.pop()!;
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) {
      const year = Number(v.slice(0, 4));
      if (year < YEARS.from || year > YEARS.to) errors.push({ path, message: `must be a date between ${YEARS.from} and ${YEARS.to}, got ${v}` });
    } else if (typeof v === 'number') {
      if (key === 'noticeWindowDays' && v > MAX_NOTICE_WINDOW_DAYS) errors.push({ path, message: `must be at most ${MAX_NOTICE_WINDOW_DAYS} days (ten years)` });
      else if (Math.abs(v) > MAX_NUMBER) errors.push({ path, message: `is too large (at most ${MAX_NUMBER.toLocaleString('en-US')})` });
    } else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) stack.push({ v: x, key: k, path: Array.isArray(v) ? `${path}[${k}]` : path ? `${path}.${k}` : k });
    }
  }
  return errors;
}

/** The intake checks; with `today` (the practice's local date) a discovery after it is refused. */
export function validateIntake(body: unknown, today?: LocalDate): Validated<Intake> {
  const bounds = boundsProblems(body);
  if (bounds.length) return { ok: false, errors: bounds };
  const c = new Checker();
  const o = c.object(body, '', ['summary', 'facts', 'privacyOfficerEmail']);
  if (!o) return { ok: false, errors: c.errors };
  const summary = c.string(o.summary, 'summary');
  if (summary && summary.length > 2000) c.fail('summary', 'is too long (2,000 characters at most); keep patient details out of it');
  if (o.facts === undefined) c.fail('facts', 'is required: the incident facts of the notification-plan contract');
  const facts = o.facts === undefined ? undefined : validateFacts(o.facts);
  if (facts && !facts.ok) c.errors.push(...facts.errors.map((e) => ({ path: e.path ? `facts.${e.path}` : 'facts', message: e.message })));
  if (facts?.ok && today) c.errors.push(...discoveryAfter(facts.value, today).map((e) => ({ path: `facts.${e.path}`, message: e.message })));
  const officer = o.privacyOfficerEmail === undefined ? undefined : checkEmail(c, o.privacyOfficerEmail, 'privacyOfficerEmail');
  if (!c.ok || !facts?.ok) return { ok: false, errors: c.errors };
  return { ok: true, value: { summary: summary!, facts: facts.value, ...(officer !== undefined ? { privacyOfficerEmail: officer } : {}) } };
}

export interface ListQuery {
  phase?: string;
  open?: boolean;
  overdue?: boolean;
  dueBefore?: LocalDate;
  page: number;
  pageSize: number;
}

function bool(c: Checker, v: unknown, path: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  return c.fail(path, `must be true or false, got ${JSON.stringify(v)}`);
}

function whole(c: Checker, v: unknown, path: string, fallback: number, max: number): number {
  if (v === undefined) return fallback;
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  if (!(n >= 1 && n <= max)) c.fail(path, `must be a whole number from 1 to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

export function validateListQuery(query: Record<string, unknown>): Validated<ListQuery> {
  const c = new Checker();
  c.object(query, '', ['state', 'open', 'overdue', 'dueBefore', 'page', 'pageSize']);
  const phase = query.state === undefined ? undefined : c.oneOf(query.state, 'state', PHASES);
  const open = bool(c, query.open, 'open');
  const overdue = bool(c, query.overdue, 'overdue');
  let dueBefore: LocalDate | undefined;
  if (query.dueBefore !== undefined) {
    if (isLocalDate(query.dueBefore)) dueBefore = query.dueBefore;
    else c.fail('dueBefore', `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(query.dueBefore)}`);
  }
  const page = whole(c, query.page, 'page', 1, 1_000_000);
  const pageSize = whole(c, query.pageSize, 'pageSize', 20, 100);
  if (!c.ok) return { ok: false, errors: c.errors };
  return { ok: true, value: { phase, open, overdue, dueBefore, page, pageSize } };
}

/** `If-Match: "3"`, `W/"3"` or `3`; undefined when absent. */
export function parseIfMatch(header: string | undefined): Validated<number | undefined> {
  if (header === undefined) return { ok: true, value: undefined };
  const m = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  return m ? { ok: true, value: Number(m[1]) } : { ok: false, errors: [{ path: 'If-Match', message: `must be the incident's version, e.g. "3", got ${JSON.stringify(header)}` }] };
}

export function validateIdempotencyKey(header: string | undefined): Validated<string | undefined> {
  if (header === undefined) return { ok: true, value: undefined };
  return /^[\x21-\x7e]{1,200}$/.test(header)
    ? { ok: true, value: header }
    : { ok: false, errors: [{ path: 'Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' }] };
}
