import { addDays, fromDayNumber, LocalDate, toDayNumber, weekday, weekdayOfDayNumber, yearOf } from './calendar';
import { StateHoliday } from './state/pack-types';

/**
 * Business days for the statutes that count them (NY GBL 899-aa(9): 5 business days;
 * VT 9 V.S.A. 2435(b)(3): 14 business days; Cal. H&S 1280.15: 15 business days). A business day is
 * Monday to Friday and not a US federal holiday (5 U.S.C. 6103, with the observed-day rule for
 * weekends), nor one of the state's own holidays the rule pack lists for that state.
 */

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function date(year: number, month: number, day: number): LocalDate {
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The n-th given weekday of a month (n = -1: the last one). */
function nthWeekday(year: number, month: number, dow: number, n: number): LocalDate {
  if (n > 0) {
    const first = date(year, month, 1);
    return addDays(first, ((dow - weekday(first) + 7) % 7) + (n - 1) * 7);
  }
  const next = month === 12 ? date(year + 1, 1, 1) : date(year, month + 1, 1);
  const last = addDays(next, -1);
  return addDays(last, -((weekday(last) - dow + 7) % 7));
}

function observed(d: LocalDate): LocalDate {
  const dow = weekday(d);
  if (dow === 6) return addDays(d, -1);
  if (dow === 0) return addDays(d, 1);
  return d;
}

const holidayCache = new Map<number, Set<LocalDate>>();

/** The observed US federal holidays that fall in a calendar year. */
export function federalHolidays(year: number): Set<LocalDate> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const days = [
    observed(date(year, 1, 1)),
    nthWeekday(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    nthWeekday(year, 5, 1, -1), // Memorial Day
    ...(year >= 2021 ? [observed(date(year, 6, 19))] : []), // Juneteenth
    observed(date(year, 7, 4)),
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    observed(date(year, 11, 11)),
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day
    observed(date(year, 12, 25)),
    observed(date(year + 1, 1, 1)), // next New Year's Day observed on Dec 31
  ].filter((d) => yearOf(d) === year);
  const set = new Set(days);
  holidayCache.set(year, set);
  return set;
}

/** The date of a listed state holiday in a year (fixed dates move to the observed weekday). */
export function stateHolidayOn(h: StateHoliday, year: number): LocalDate {
  if ('day' in h) return observed(date(year, h.month, h.day));
  return addDays(nthWeekday(year, h.month, h.weekday, h.nth), h.offsetDays ?? 0);
}

const stateCache = new WeakMap<readonly StateHoliday[], Map<number, Set<LocalDate>>>();

/** A state's listed holidays in a year, computed once per pack entry and year. */
function stateHolidays(list: readonly StateHoliday[], year: number): Set<LocalDate> {
  let years = stateCache.get(list);
  if (!years) stateCache.set(list, (years = new Map()));
  let set = years.get(year);
  if (!set) years.set(year, (set = new Set(list.map((h) => stateHolidayOn(h, year)))));
  return set;
}

/** One year of a business-day calendar: a flag per day of the year (1: a business day). */
interface YearCalendar {
  year: number;
  /** Day number of 1 January. */
  start: number;
  flags: Uint8Array;
}

/** The calendar of the federal holidays alone (no state list), shared by every caller. */
const NO_STATE_HOLIDAYS: readonly StateHoliday[] = [];

/** Business-day calendars, worked out once per holiday list (a pack entry's) and year: a clock
 *  then steps through flags instead of re-deciding each day's weekday and holidays. */
const calendars = new WeakMap<readonly StateHoliday[], Map<number, YearCalendar>>();

function yearCalendar(list: readonly StateHoliday[], year: number): YearCalendar {
  const key = list.length === 0 ? NO_STATE_HOLIDAYS : list;
  let years = calendars.get(key);
  if (!years) calendars.set(key, (years = new Map()));
  let cal = years.get(year);
  if (!cal) years.set(year, (cal = buildYear(key, year)));
  return cal;
}

function buildYear(list: readonly StateHoliday[], year: number): YearCalendar {
  const start = toDayNumber(date(year, 1, 1));
  const flags = new Uint8Array(toDayNumber(date(year + 1, 1, 1)) - start);
  const federal = federalHolidays(year);
  const state = list.length ? stateHolidays(list, year) : null;
  for (let i = 0; i < flags.length; i++) {
    const dow = weekdayOfDayNumber(start + i);
    if (dow === 0 || dow === 6) continue;
    const d = fromDayNumber(start + i);
    flags[i] = federal.has(d) || state?.has(d) ? 0 : 1;
  }
  return { year, start, flags };
}

export function isBusinessDay(d: LocalDate, holidays: readonly StateHoliday[] = NO_STATE_HOLIDAYS): boolean {
  const cal = yearCalendar(holidays, yearOf(d));
  return cal.flags[toDayNumber(d) - cal.start] === 1;
}

/** The date `n` business days after `from` (the day of `from` itself is day 0), skipping the
 *  federal holidays and the state holidays given. */
export function addBusinessDays(from: LocalDate, n: number, holidays: readonly StateHoliday[] = NO_STATE_HOLIDAYS): LocalDate {
  let d = toDayNumber(from);
  let cal = yearCalendar(holidays, yearOf(from));
  let left = n;
  while (left > 0) {
    d += 1;
    if (d - cal.start >= cal.flags.length) cal = yearCalendar(holidays, cal.year + 1);
    if (cal.flags[d - cal.start] === 1) left -= 1;
  }
  return fromDayNumber(d);
}

/** The calendar a business-day clock used, in words. */
export function businessCalendarText(stateName: string, holidays: readonly StateHoliday[]): string {
  let byName = calendarTexts.get(holidays);
  if (!byName) calendarTexts.set(holidays, (byName = new Map()));
  let text = byName.get(stateName);
  if (text === undefined) byName.set(stateName, (text = calendarText(stateName, holidays)));
  return text;
}

/** Made once per pack entry (the holiday list) and state. */
const calendarTexts = new WeakMap<readonly StateHoliday[], Map<string, string>>();

function calendarText(stateName: string, holidays: readonly StateHoliday[]): string {
  const federal = 'Business days skip weekends and the US federal holidays (5 U.S.C. 6103)';
  if (holidays.length === 0) return `${federal}; the rule pack lists no state holidays for ${stateName}.`;
  return `${federal} and ${stateName}'s own holidays as the rule pack lists them (${holidays.map((h) => h.name).join(', ')}).`;
}
