import { addBusinessDays, businessCalendarText, stateHolidayOn } from '../business-days';
import { addDays, LocalDate, yearOf } from '../calendar';
import { Clock, StateHoliday } from './pack-types';

/**
 * Runs a state clock. A clock tied to another notice ("before the residents", "within 5 business
 * days after HHS") counts from that notice's planned date, or from its actual date once recorded.
 */

export interface ClockContext {
  stateName: string;
  discoveryDate: LocalDate;
  determinedOn: LocalDate | undefined;
  holidays: readonly StateHoliday[];
  /** The notice to the state's residents: the state's own, else HIPAA's. */
  individualDue: LocalDate | undefined;
  /** HIPAA's report to HHS. */
  hhsDue: LocalDate | undefined;
  /** Actual dates, once recorded, that tied clocks follow instead of the planned ones. */
  recorded?: { individuals?: LocalDate; hhs?: LocalDate } | undefined;
}

export interface ClockResult {
  dueOn: LocalDate;
  text: string;
  verifyReasons: string[];
  /** Which calendar a business-day clock used. */
  calendar?: string;
}

interface Anchor {
  date: LocalDate;
  text: string;
  reason?: string;
}

function tied(planned: LocalDate | undefined, actual: LocalDate | undefined, what: string): Anchor | null {
  if (actual) return { date: actual, text: `${what} (sent ${actual})` };
  if (!planned) return null;
  return { date: planned, text: `${what} (planned for ${planned}; if it goes out earlier, this comes earlier)` };
}

function anchorOf(ctx: ClockContext, clock: Clock): Anchor | null {
  switch (clock.from) {
    case 'discovery':
      return { date: ctx.discoveryDate, text: `discovery (${ctx.discoveryDate})` };
    case 'determination':
      return ctx.determinedOn
        ? { date: ctx.determinedOn, text: `the determination that a breach occurred (${ctx.determinedOn})` }
        : {
          date: ctx.discoveryDate,
          text: `the determination that a breach occurred (no date given, so counted from discovery, ${ctx.discoveryDate})`,
          reason: 'The statute counts from the determination that a breach occurred; record that date (determinedOn) if it came after discovery.',
        };
    case 'individual_notice':
      return tied(ctx.individualDue, ctx.recorded?.individuals, `the notice to ${ctx.stateName} residents`);
    case 'hhs_notice':
      return tied(ctx.hhsDue, ctx.recorded?.hhs, 'the report to HHS');
  }
}

/** The clock in force for a breach discovered on `discoveryDate` (undefined: no fixed day count). */
export function clockInForce(clock: Clock | null, discoveryDate: LocalDate): Clock | null {
  if (!clock) return null;
  if (clock.effectiveFrom && discoveryDate < clock.effectiveFrom) return clock.before === undefined ? null : clockInForce(clock.before, discoveryDate);
  return clock;
}

/** The words of a clock around its anchor, which depend only on the clock and its state. */
interface ClockWords {
  stateName: string;
  before: string;
  /** The statute's own words, when the pack gives them. */
  wording: string;
  after: string;
}

/** Written once per clock of the pack (and state name), not once per plan. */
const clockWords = new WeakMap<Clock, ClockWords>();

function wordsOf(ctx: ClockContext, clock: Clock, calendar: string | undefined): ClockWords {
  let w = clockWords.get(clock);
  if (w && w.stateName === ctx.stateName) return w;
  const before = clock.days === 0 ? 'no later than ' : `within ${clock.days} ${clock.unit === 'business' ? 'business' : 'calendar'} days of `;
  const wording = clock.wording ? ` (the statute: "${clock.wording}")` : '';
  const after = calendar ? `${wording}. ${calendar}` : wording;
  clockWords.set(clock, (w = { stateName: ctx.stateName, before, wording, after }));
  return w;
}

/** The listed state holidays after `from` up to `to`, in words ("Town Meeting Day (2026-03-03)"). */
function holidaysBetween(from: LocalDate, to: LocalDate, holidays: readonly StateHoliday[]): string {
  const found: string[] = [];
  for (let year = yearOf(from); year <= yearOf(to); year++) {
    for (const h of holidays) {
      const on = stateHolidayOn(h, year);
      if (on > from && on <= to) found.push(`${h.name} (${on})`);
    }
  }
  return found.length ? found.join(' and ') : 'holidays';
}

export function runClock(ctx: ClockContext, clock: Clock): ClockResult | null {
  const anchor = anchorOf(ctx, clock);
  if (!anchor) return null;
  const business = clock.unit === 'business';
  const verifyReasons = anchor.reason ? [anchor.reason] : [];
  if (clock.relation === 'before') {
    return { dueOn: addDays(anchor.date, -1), text: `before ${anchor.text}`, verifyReasons };
  }
  let calendar = business ? businessCalendarText(ctx.stateName, ctx.holidays) : undefined;
  let dueOn = business ? addBusinessDays(anchor.date, clock.days, ctx.holidays) : addDays(anchor.date, clock.days);
  const words = wordsOf(ctx, clock, calendar);
  let text = `${words.before}${anchor.text}${words.after}`;
  if (business && ctx.holidays.length > 0) {
    // The pack's state holiday lists are not in the researched digest (recalled): where one of
    // them would give more time, the earlier date (federal holidays only) is the cautious answer.
    const federalOnly = addBusinessDays(anchor.date, clock.days);
    if (federalOnly !== dueOn) {
      const names = holidaysBetween(anchor.date, dueOn, ctx.holidays);
      calendar = `Business days skip weekends and the US federal holidays (5 U.S.C. 6103) only: ${ctx.stateName}'s own ${names} would move it to ${dueOn} if it counts, but the rule pack's list of ${ctx.stateName}'s holidays is not confirmed in a source, so the earlier date is planned.`;
      text = `${words.before}${anchor.text}${words.wording}. ${calendar}`;
      verifyReasons.push(`Confirm whether ${ctx.stateName}'s ${names} counts as a non-business day for this clock; planned for the earlier date without it (${federalOnly}).`);
      dueOn = federalOnly;
    }
  }
  if (clock.notLaterThanIndividualNotice && ctx.individualDue && ctx.individualDue < dueOn) {
    dueOn = ctx.individualDue;
    text += `, or by the notice to residents if that is sooner (${ctx.individualDue})`;
  }
  const result: ClockResult = { dueOn, text, verifyReasons };
  if (calendar) result.calendar = calendar;
  return result;
}
