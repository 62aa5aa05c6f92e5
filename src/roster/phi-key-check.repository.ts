import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../persistence/sql';

/** The phi_key_check table's SQL (one row: a value sealed with the key the roster was sealed with). */
@Injectable()
export class PhiKeyCheckRepository {
  async sealed(m: EntityManager): Promise<string | null> {
    const row = await selectOne<{ sealed: string }>(m, 'SELECT "sealed" FROM "phi_key_check" WHERE "id" = 1');
    return row?.sealed ?? null;
  }

  /** Writes the check row when there is none yet. */
  async insert(m: EntityManager, sealed: string): Promise<void> {
    await execute(m, 'INSERT INTO "phi_key_check" ("id", "sealed") VALUES (1, $1) ON CONFLICT ("id") DO NOTHING', [sealed]);
  }

  /** Replaces the check value (after a re-key). */
  async update(m: EntityManager, sealed: string): Promise<void> {
    await execute(m, 'UPDATE "phi_key_check" SET "sealed" = $1 WHERE "id" = 1', [sealed]);
  }
}
