import { EntityManager } from 'typeorm';
import { IncidentContext } from '../domain/lifecycle/incident.types';
import { openObligations } from '../domain/lifecycle/tracking';
import { ReminderSettings, ScheduledReminder, upcomingReminders } from '../domain/reminders/reminder-ladder';
import { instantAt, localDateIn } from '../domain/rules/calendar';
import { ReminderRepository } from './reminder.repository';

/** Stateless: the functions below keep their signatures (settings calls them too). */
const reminders = new ReminderRepository();

/**
 * Reminder rows are derived from the open obligations and rewritten in the same transaction as
 * every change to them: done, waived or moved obligations take their reminders with them, and a
 * closed incident has none.
 */
export async function rescheduleReminders(
  m: EntityManager,
  incidentId: string,
  ctx: IncidentContext,
  open: boolean,
  settings: ReminderSettings,
  timezone: string,
  now: Date,
): Promise<void> {
  await reminders.deletePending(m, incidentId);
  if (!open) return;
  const today = localDateIn(now, timezone)!;
  await insertReminders(m, incidentId, openObligations(ctx).flatMap((o) => upcomingReminders(o, settings, today)), settings, timezone);
}

/** What the reminder rows depend on: whether the incident is open, and its open obligations' dates. */
export function reminderBasis(ctx: IncidentContext, open: boolean): string {
  return JSON.stringify([open, openObligations(ctx).map((o) => [o.key, o.dueOn])]);
}

export async function insertReminders(m: EntityManager, incidentId: string, rows: ScheduledReminder[], settings: ReminderSettings, timezone: string): Promise<void> {
  await reminders.insertMany(m, incidentId, rows.map((r) => ({
    obligationKey: r.obligationKey, dueOn: r.dueOn, sendOn: r.sendOn, kind: r.kind, daysLeft: r.daysLeft, escalate: r.escalate,
    dueAt: instantAt(r.sendOn, settings.sendHour, timezone).toISOString(),
  })));
}
