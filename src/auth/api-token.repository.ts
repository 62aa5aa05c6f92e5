import { EntityManager } from 'typeorm';
import { execute, selectOne, selectRows } from '../persistence/sql';
import { UserRow } from './user.repository';

/** SQL of "api_token" (stored by the hash of the secret). No logic. */

export interface TokenRow { id: string; label: string; created_at: string; expires_at: string | null; last_used_at: string | null; revoked: number }

export class ApiTokenRepository {
  async insert(m: EntityManager, t: { id: string; tokenHash: string; userId: string; label: string; createdAt: string; expiresAt: string; createdBy: string }): Promise<void> {
    await execute(m, 'INSERT INTO "api_token" ("id", "token_hash", "user_id", "label", "created_at", "expires_at", "created_by") VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [t.id, t.tokenHash, t.userId, t.label, t.createdAt, t.expiresAt, t.createdBy]);
  }

  ofUser(m: EntityManager, userId: string): Promise<TokenRow[]> {
    return selectRows(m, 'SELECT "id", "label", "created_at", "expires_at", "last_used_at", "revoked" FROM "api_token" WHERE "user_id" = $1 ORDER BY "created_at", "id"', [userId]);
  }

  revokedState(m: EntityManager, tokenId: string, userId: string): Promise<{ revoked: number } | null> {
    return selectOne(m, 'SELECT "revoked" FROM "api_token" WHERE "id" = $1 AND "user_id" = $2', [tokenId, userId]);
  }

  async revoke(m: EntityManager, tokenId: string, by: string, at: string): Promise<void> {
    await execute(m, 'UPDATE "api_token" SET "revoked" = 1, "revoked_by" = $1, "revoked_at" = $2 WHERE "id" = $3', [by, at, tokenId]);
  }

  async revokeAllOf(m: EntityManager, userId: string, by: string, at: string): Promise<void> {
    await execute(m, 'UPDATE "api_token" SET "revoked" = 1, "revoked_by" = $1, "revoked_at" = $2 WHERE "user_id" = $3 AND "revoked" = 0', [by, at, userId]);
  }

  /** The active user of a live token, with the token's id and last use. */
  liveUser(m: EntityManager, tokenHash: string, now: string): Promise<(UserRow & { token_id: string; last_used_at: string | null }) | null> {
    return selectOne(m, `SELECT u.*, t."id" AS "token_id", t."last_used_at" FROM "api_token" t JOIN "user" u ON u."id" = t."user_id"
       WHERE t."token_hash" = $1 AND t."revoked" = 0 AND u."disabled" = 0 AND (t."expires_at" IS NULL OR t."expires_at" > $2)`, [tokenHash, now]);
  }

  async markUsed(m: EntityManager, tokenId: string, at: string): Promise<void> {
    await execute(m, 'UPDATE "api_token" SET "last_used_at" = $1 WHERE "id" = $2', [at, tokenId]);
  }
}
