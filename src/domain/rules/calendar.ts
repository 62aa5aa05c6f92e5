/**
 * Pure calendar arithmetic on local dates written `YYYY-MM-DD`.
 *
 * HIPAA counts calendar days on the discovery date's own calendar (45 CFR 164.404(b)): no time
 * zone, weekend or holiday enters the count. A local date is therefore handled as a day number
 * (days since 1970-01-01 on the proleptic Gregorian calendar); `Date.UTC` is used only as the
 * conversion table, never as a clock.
 */

export type LocalDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** The date's parts, or null when the text is not a real calendar date (2026-02-30 is not). */
export function parseLocalDate(text: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

export function isLocalDate(text: unknown): text is LocalDate {
  return typeof text === 'string' && parseLocalDate(text) !== null;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

/** Day numbers already worked out: a plan of every jurisdiction counts from the same few dates
 *  hundreds of times. Bounded, so a long-running server does not grow it without end. */
const dayNumbers = new Map<LocalDate, number>();
const DAY_NUMBER_CACHE_MAX = 50_000;

/** Days since 1970-01-01 of a local date (throws on text that is not a calendar date). */
export function toDayNumber(date: LocalDate): number {
  const known = dayNumbers.get(date);
  if (known !== undefined) return known;
  const p = parseLocalDate(date);
  if (!p) throw new RangeError(`not a calendar date: ${date}`);
  const n = Date.UTC(p.year, p.month - 1, p.day) / MS_PER_DAY;
  if (dayNumbers.size >= DAY_NUMBER_CACHE_MAX) dayNumbers.clear();
  dayNumbers.set(date, n);
  return n;
}

/** Dates already written out, by day number: the same few dates come back in every plan, and
 *  formatting one (three paddings) costs more than finding it. Bounded like `dayNumbers`. */
const dayTexts = new Map<number, LocalDate>();

/** The local date of a day number (days since 1970-01-01). */
export function fromDayNumber(n: number): LocalDate {
  const known = dayTexts.get(n);
  if (known !== undefined) return known;
  const text = civilFromDays(n);
  if (dayTexts.size >= DAY_NUMBER_CACHE_MAX) dayTexts.clear();
  dayTexts.set(n, text);
  // The text maps back to its number without a parse.
  if (dayNumbers.size < DAY_NUMBER_CACHE_MAX) dayNumbers.set(text, n);
  return text;
}

/** Days since 1970-01-01 back to a civil date (H. Hinnant's civil_from_days; no Date object). */
function civilFromDays(n: number): LocalDate {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromDayNumber(toDayNumber(date) + days);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** ISO dates compare correctly as strings. */
export function earlierOf(a: LocalDate, b: LocalDate): LocalDate {
  return a <= b ? a : b;
}

export function yearOf(date: LocalDate): number {
  return Number(date.slice(0, 4));
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return weekdayOfDayNumber(toDayNumber(date));
}

/** 0 = Sunday ... 6 = Saturday, of a day number. */
export function weekdayOfDayNumber(n: number): number {
  return (((n + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/**
 * The local calendar date of an instant in an IANA time zone (45 CFR 164.404(a)(2) counts from
 * the day of discovery where the practice is, not in UTC). Returns null for an unknown zone.
 */
export function localDateIn(instant: Date, timeZone: string): LocalDate | null {
  const format = formatterFor(timeZone);
  if (!format) return null;
  const parts = format.formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

export function isTimeZone(zone: string): boolean {
  return formatterFor(zone) !== null;
}

/** Building an Intl formatter costs far more than using one: one per zone, made once. */
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    } catch {
      format = null;
    }
    // Unknown zones are not remembered, so junk input cannot grow the cache.
    if (format) formatters.set(timeZone, format);
  }
  return format;
}

/**
 * The instant a local wall-clock hour on a local date happens in a zone (09:00 in Chicago on
 * 2026-03-09 is 14:00Z, after the DST change). For an hour skipped by DST, the hour after it.
 */
export function instantAt(date: LocalDate, hour: number, timeZone: string): Date {
  const p = parseLocalDate(date);
  if (!p) throw new RangeError(`not a calendar date: ${date}`);
  const wanted = Date.UTC(p.year, p.month - 1, p.day, hour);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const offset = offsetAt(new Date(guess), timeZone);
    const next = wanted - offset;
    if (next === guess) break;
    guess = next;
  }
  return new Date(guess);
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  let f = offsetFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetFormatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}
