import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AdvisoryLockRepository } from '../persistence/advisory-lock.repository';
import { execute, selectOne } from '../persistence/sql';

const locks = new AdvisoryLockRepository();

/** The practice_settings table's SQL (one row, the settings as JSON text), and nothing else. */
@Injectable()
export class PracticeSettingsRepository {
  /** The stored settings JSON, or null when none were ever saved. */
  async stored(m: EntityManager): Promise<string | null> {
    const row = await selectOne<{ settings: string }>(m, 'SELECT "settings" FROM "practice_settings" WHERE "id" = 1');
    return row?.settings ?? null;
  }

  /**
   * Held until the unit of work ends (PostgreSQL; SQLite has one writer). `change`: alone, for a
   * settings change, which merges into what it reads and re-schedules every open incident's
   * reminders. `reschedule`: shared, for a change of one incident that writes its reminders from the
   * settings it reads: it waits for a settings change under way, and a settings change waits for it.
   */
  lock(m: EntityManager, mode: 'change' | 'reschedule'): Promise<void> {
    return locks.hold(m, 'settings', mode === 'change' ? 'alone' : 'shared');
  }

  async save(m: EntityManager, settings: string, updatedBy: string, updatedAt: string): Promise<void> {
    await execute(m,
      `INSERT INTO "practice_settings" ("id", "settings", "updated_by", "updated_at") VALUES (1, $1, $2, $3)
       ON CONFLICT ("id") DO UPDATE SET "settings" = excluded."settings", "updated_by" = excluded."updated_by", "updated_at" = excluded."updated_at"`,
      [settings, updatedBy, updatedAt]);
  }
}
