import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chunks, IDS_PER_STATEMENT, execute, placeholders, returning, selectRows, skipLocked } from '../persistence/sql';

export interface ReminderRow {
  id: number;
  incident_id: string;
  obligation_key: string;
  due_on: string;
  send_on: string;
  kind: string;
  days_left: number;
  escalate: number;
}

export interface NewReminder {
  obligationKey: string;
  dueOn: string;
  sendOn: string;
  kind: string;
  daysLeft: number;
  escalate: boolean;
  dueAt: string;
}

const ROWS_PER_INSERT = 100;
/** SQL of reminder rows (derived from open obligations). */
@Injectable()
export class ReminderRepository {
  /**
   * Claims up to `limit` due reminders for this sweep: marked 'queued' (the usual outcome) in one
   * statement, so a second instance sweeping at the same time claims others (SKIP LOCKED on
   * PostgreSQL) or none. The sweep's transaction gives the others their final status (cancelled,
   * superseded, undeliverable) before it commits; if it rolls back, the claim rolls back with it. The status is checked in the inner SELECT only: PostgreSQL re-checks
   * it when it locks each row (FOR UPDATE), and an outer `"status" = 'pending'` would make SQLite
   * walk every pending row of the status index instead of the claimed ids (bench/reminders: a
   * sweep grew from 0.27 s to 0.97 s with 100k open obligations).
   */
  async claimDue(m: EntityManager, now: string, limit: number): Promise<ReminderRow[]> {
    const rows = await returning<ReminderRow>(m,
      `UPDATE "reminder" SET "status" = 'queued'
       WHERE "id" IN (
         SELECT "id" FROM "reminder" WHERE "status" = 'pending' AND "due_at" <= $1
         ORDER BY "due_at", "id" LIMIT $2${skipLocked(m)})
       RETURNING "id", "incident_id", "obligation_key", "due_on", "send_on", "kind", "days_left", "escalate"`, [now, limit]);
    // RETURNING's order is the engine's: the sweep reads them in due order.
    return rows.sort((a, b) => (a.send_on < b.send_on ? -1 : a.send_on > b.send_on ? 1 : a.id - b.id));
  }

  async mark(m: EntityManager, id: number, status: string): Promise<void> {
    await execute(m, 'UPDATE "reminder" SET "status" = $1 WHERE "id" = $2', [status, id]);
  }

  /** Gives many claimed reminders one status, in one statement per chunk (a sweep's marks). */
  async markMany(m: EntityManager, ids: readonly number[], status: string): Promise<void> {
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      await execute(m, `UPDATE "reminder" SET "status" = $1 WHERE "id" IN (${placeholders(chunk.length, 2)})`, [status, ...chunk]);
    }
  }

  async deletePending(m: EntityManager, incidentId: string): Promise<void> {
    await execute(m, `DELETE FROM "reminder" WHERE "incident_id" = $1 AND "status" = 'pending'`, [incidentId]);
  }

  async insertMany(m: EntityManager, incidentId: string, rows: NewReminder[]): Promise<void> {
    for (const chunk of chunks(rows, ROWS_PER_INSERT)) {
      const values = chunk.map((_, j) => `(${placeholders(8, j * 8 + 1)}, 'pending')`);
      await execute(m,
        `INSERT INTO "reminder" ("incident_id", "obligation_key", "due_on", "send_on", "kind", "days_left", "escalate", "due_at", "status")
         VALUES ${values.join(', ')}`,
        chunk.flatMap((r) => [incidentId, r.obligationKey, r.dueOn, r.sendOn, r.kind, r.daysLeft, r.escalate ? 1 : 0, r.dueAt]));
    }
  }
}
