import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../persistence/sql';
import { UserRow } from './user.repository';

/** SQL of "session" (browser sessions, stored by the hash of their token). No logic. */

export type SessionUserRow = UserRow & { csrf: string; expires_at: string; last_seen_at: string | null };

export class SessionRepository {
  async insert(m: EntityManager, s: { tokenHash: string; userId: string; csrf: string; createdAt: string; expiresAt: string }): Promise<void> {
    await execute(m, 'INSERT INTO "session" ("token_hash", "user_id", "csrf", "created_at", "expires_at", "last_seen_at") VALUES ($1, $2, $3, $4, $5, $6)',
      [s.tokenHash, s.userId, s.csrf, s.createdAt, s.expiresAt, s.createdAt]);
  }

  async deleteExpired(m: EntityManager, now: string): Promise<void> {
    await execute(m, 'DELETE FROM "session" WHERE "expires_at" <= $1', [now]);
  }

  withUser(m: EntityManager, tokenHash: string): Promise<SessionUserRow | null> {
    return selectOne(m, `SELECT u.*, s."csrf", s."expires_at", s."last_seen_at" FROM "session" s JOIN "user" u ON u."id" = s."user_id" WHERE s."token_hash" = $1`, [tokenHash]);
  }

  async touch(m: EntityManager, tokenHash: string, now: string): Promise<void> {
    await execute(m, 'UPDATE "session" SET "last_seen_at" = $1 WHERE "token_hash" = $2', [now, tokenHash]);
  }

  async delete(m: EntityManager, tokenHash: string): Promise<void> {
    await execute(m, 'DELETE FROM "session" WHERE "token_hash" = $1', [tokenHash]);
  }

  async deleteOfUser(m: EntityManager, userId: string): Promise<number> {
    return execute(m, 'DELETE FROM "session" WHERE "user_id" = $1', [userId]);
  }

  /** Every session of the user but this one; answers how many ended. */
  async deleteOthers(m: EntityManager, userId: string, keepHash: string): Promise<number> {
    return execute(m, 'DELETE FROM "session" WHERE "user_id" = $1 AND "token_hash" <> $2', [userId, keepHash]);
  }
}
