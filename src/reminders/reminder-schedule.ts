import { EntityManager } from 'typeorm';
import { IncidentContext } from '../domain/lifecycle/incident.types';
import { openObligations } from '../domain/lifecycle/tracking';
import { ReminderSettings, ScheduledReminder, upcomingReminders } from '../domain/reminders/reminder-ladder';
import { instantAt, localDateIn } from '../domain/rules/calendar';

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
  await m.query(`DELETE FROM "reminder" WHERE "incident_id" = ? AND "status" = 'pending'`, [incidentId]);
  if (!open) return;
  const today = localDateIn(now, timezone)!;
  await insertReminders(m, incidentId, openObligations(ctx).flatMap((o) => upcomingReminders(o, settings, today)), settings, timezone);
}

/** What the reminder rows depend on: whether the incident is open, and its open obligations' dates. */
export function reminderBasis(ctx: IncidentContext, open: boolean): string {
  return JSON.stringify([open, openObligations(ctx).map((o) => [o.key, o.dueOn])]);
}

const ROWS_PER_INSERT = 100;

export async function insertReminders(m: EntityManager, incidentId: string, rows: ScheduledReminder[], settings: ReminderSettings, timezone: string): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    await m.query(
      `INSERT INTO "reminder" ("incident_id", "obligation_key", "due_on", "send_on", "kind", "days_left", "escalate", "due_at", "status")
       VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, 'pending')").join(', ')}`,
      chunk.flatMap((r) => [incidentId, r.obligationKey, r.dueOn, r.sendOn, r.kind, r.daysLeft, r.escalate ? 1 : 0, instantAt(r.sendOn, settings.sendHour, timezone).toISOString()]),
    );
  }
}
