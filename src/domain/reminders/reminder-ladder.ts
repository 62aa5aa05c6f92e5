import { addDays, daysBetween, LocalDate } from '../rules/calendar';

/**
 * Which reminders an open obligation gets, and when: a ladder of days before the due date (the
 * due date itself is 0), then one overdue notice a day. Pure: "today" is a parameter.
 */

export interface ReminderSettings {
  /** Days before the due date to remind on; 0 is the due date itself. */
  ladderDaysBefore: number[];
  /** From this many days before (and when overdue) the practice owner is copied. */
  escalateFromDaysBefore: number;
  /** Local hour (0-23, practice time zone) reminders go out. */
  sendHour: number;
  /** One email a day per recipient listing everything due, instead of one per item. */
  digest: boolean;
}

export type ReminderKind = 'before' | 'due_today' | 'overdue';

export interface ScheduledReminder {
  obligationKey: string;
  dueOn: LocalDate;
  sendOn: LocalDate;
  kind: ReminderKind;
  /** Days from sendOn to dueOn: positive before, 0 on the day, negative overdue. */
  daysLeft: number;
  escalate: boolean;
}

export interface OpenObligation {
  key: string;
  dueOn: LocalDate;
}

function reminder(o: OpenObligation, sendOn: LocalDate, s: ReminderSettings): ScheduledReminder {
  const daysLeft = daysBetween(sendOn, o.dueOn);
  return {
    obligationKey: o.key,
    dueOn: o.dueOn,
    sendOn,
    kind: daysLeft > 0 ? 'before' : daysLeft === 0 ? 'due_today' : 'overdue',
    daysLeft,
    escalate: daysLeft <= s.escalateFromDaysBefore,
  };
}

/** The reminders still to come for an open obligation, from today on; past ladder steps are not sent late. */
export function upcomingReminders(o: OpenObligation, s: ReminderSettings, today: LocalDate): ScheduledReminder[] {
  const steps = [...new Set(s.ladderDaysBefore)].sort((a, b) => b - a);
  const ladder = steps.map((d) => addDays(o.dueOn, -d)).filter((d) => d >= today).map((d) => reminder(o, d, s));
  const firstOverdue = addDays(o.dueOn, 1);
  return [...ladder, reminder(o, firstOverdue > today ? firstOverdue : today, s)];
}

/** After an overdue notice goes out, the next one: the following day. */
export function nextOverdue(o: OpenObligation, sentOn: LocalDate, s: ReminderSettings): ScheduledReminder {
  return reminder(o, addDays(sentOn, 1), s);
}

/** Plain words for how far off the due date is. */
export function whenText(daysLeft: number): string {
  if (daysLeft === 0) return 'due today';
  if (daysLeft > 0) return `due in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`;
  return `overdue by ${-daysLeft} day${daysLeft === -1 ? '' : 's'}`;
}
