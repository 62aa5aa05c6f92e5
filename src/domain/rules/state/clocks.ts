import { addBusinessDays, businessCalendarText } from '../business-days';
import { addDays, LocalDate } from '../calendar';
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
  after: string;
}

/** Written once per clock of the pack (and state name), not once per plan. */
const clockWords = new WeakMap<Clock, ClockWords>();

function wordsOf(ctx: ClockContext, clock: Clock, calendar: string | undefined): ClockWords {
  let w = clockWords.get(clock);
  if (w && w.stateName === ctx.stateName) return w;
  const before = clock.days === 0 ? 'no later than ' : `within ${clock.days} ${clock.unit === 'business' ? 'business' : 'calendar'} days of `;
  let after = '';
  if (clock.wording) after += ` (the statute: "${clock.wording}")`;
  if (calendar) after += `. ${calendar}`;
  clockWords.set(clock, (w = { stateName: ctx.stateName, before, after }));
  return w;
}

export function runClock(ctx: ClockContext, clock: Clock): ClockResult | null {
  const anchor = anchorOf(ctx, clock);
  if (!anchor) return null;
  const business = clock.unit === 'business';
  const verifyReasons = anchor.reason ? [anchor.reason] : [];
  if (clock.relation === 'before') {
    return { dueOn: addDays(anchor.date, -1), text: `before ${anchor.text}`, verifyReasons };
  }
  const calendar = business ? businessCalendarText(ctx.stateName, ctx.holidays) : undefined;
  let dueOn = business ? addBusinessDays(anchor.date, clock.days, ctx.holidays) : addDays(anchor.date, clock.days);
  const words = wordsOf(ctx, clock, calendar);
  let text = `${words.before}${anchor.text}${words.after}`;
  if (clock.notLaterThanIndividualNotice && ctx.individualDue && ctx.individualDue < dueOn) {
    dueOn = ctx.individualDue;
    text += `, or by the notice to residents if that is sooner (${ctx.individualDue})`;
  }
  const result: ClockResult = { dueOn, text, verifyReasons };
  if (calendar) result.calendar = calendar;
  return result;
}
