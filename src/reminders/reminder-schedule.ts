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
  for (const o of openObligations(ctx)) {
    for (const r of upcomingReminders(o, settings, today)) await insertReminder(m, incidentId, r, settings, timezone);
  }
}

export async function insertReminder(m: EntityManager, incidentId: string, r: ScheduledReminder, settings: ReminderSettings, timezone: string): Promise<void> {
  await m.query(
    `INSERT INTO "reminder" ("incident_id", "obligation_key", "due_on", "send_on", "kind", "days_left", "escalate", "due_at", "status")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending')`,
    [incidentId, r.obligationKey, r.dueOn, r.sendOn, r.kind, r.daysLeft, r.escalate ? 1 : 0, instantAt(r.sendOn, settings.sendHour, timezone).toISOString()],
  );
}
