import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../persistence/sql';

/** The practice_settings table's SQL (one row, the settings as JSON text), and nothing else. */
@Injectable()
export class PracticeSettingsRepository {
  /** The stored settings JSON, or null when none were ever saved. */
  async stored(m: EntityManager): Promise<string | null> {
    const row = await selectOne<{ settings: string }>(m, 'SELECT "settings" FROM "practice_settings" WHERE "id" = 1');
    return row?.settings ?? null;
  }

  async save(m: EntityManager, settings: string, updatedBy: string, updatedAt: string): Promise<void> {
    await execute(m,
      `INSERT INTO "practice_settings" ("id", "settings", "updated_by", "updated_at") VALUES (1, $1, $2, $3)
       ON CONFLICT ("id") DO UPDATE SET "settings" = excluded."settings", "updated_by" = excluded."updated_by", "updated_at" = excluded."updated_at"`,
      [settings, updatedBy, updatedAt]);
  }
}
