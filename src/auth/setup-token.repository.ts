import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../persistence/sql';

/** SQL of "setup_token" (one row: the first admin's setup link, by its hash). No logic. */
export class SetupTokenRepository {
  async put(m: EntityManager, tokenHash: string, at: string): Promise<void> {
    await execute(m, `INSERT INTO "setup_token" ("id", "token_hash", "created_at") VALUES (1, $1, $2)
      ON CONFLICT ("id") DO UPDATE SET "token_hash" = excluded."token_hash", "created_at" = excluded."created_at"`, [tokenHash, at]);
  }

  async exists(m: EntityManager, tokenHash: string): Promise<boolean> {
    return (await selectOne(m, 'SELECT 1 AS "x" FROM "setup_token" WHERE "token_hash" = $1', [tokenHash])) !== null;
  }

  /** Deletes the link if it is this one; answers whether it was (of two uses at once, one gets true). */
  async spend(m: EntityManager, tokenHash: string): Promise<boolean> {
    return (await execute(m, 'DELETE FROM "setup_token" WHERE "token_hash" = $1', [tokenHash])) === 1;
  }
}
