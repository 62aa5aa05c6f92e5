import { EntityManager } from 'typeorm';
import { AdvisoryLockRepository } from '../persistence/advisory-lock.repository';
import { execute, selectOne, selectRows } from '../persistence/sql';
import { Role } from './actor';

const locks = new AdvisoryLockRepository();

/** SQL of "user" and "user_role" (the roles each user holds). No logic. */

export interface UserRow { id: string; email: string; name: string; role: Role; password_hash: string; disabled: number; created_at: string }

export class UserRepository {
  async count(m: EntityManager): Promise<number> {
    const row = await selectOne<{ n: number }>(m, 'SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "user"');
    return Number(row?.n ?? 0);
  }

  all(m: EntityManager): Promise<UserRow[]> {
    return selectRows(m, 'SELECT * FROM "user" ORDER BY "created_at", "id"');
  }

  byId(m: EntityManager, id: string): Promise<UserRow | null> {
    return selectOne(m, 'SELECT * FROM "user" WHERE "id" = $1', [id]);
  }

  /** By email, whatever its case (SQLite's column is NOCASE; PostgreSQL's unique index is on lower("email")). */
  byEmail(m: EntityManager, email: string): Promise<UserRow | null> {
    return selectOne(m, 'SELECT * FROM "user" WHERE lower("email") = lower($1)', [email]);
  }

  async activeWithEmail(m: EntityManager, email: string): Promise<boolean> {
    return (await selectOne(m, 'SELECT 1 AS "x" FROM "user" WHERE lower("email") = lower($1) AND "disabled" = 0', [email])) !== null;
  }

  async isActive(m: EntityManager, id: string): Promise<boolean> {
    return (await selectOne(m, 'SELECT 1 AS "x" FROM "user" WHERE "id" = $1 AND "disabled" = 0', [id])) !== null;
  }

  async insert(m: EntityManager, r: UserRow): Promise<void> {
    await execute(m, 'INSERT INTO "user" ("id", "email", "name", "role", "password_hash", "disabled", "created_at") VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [r.id, r.email, r.name, r.role, r.password_hash, r.disabled, r.created_at]);
  }

  async setDisabled(m: EntityManager, id: string, disabled: boolean): Promise<void> {
    await execute(m, 'UPDATE "user" SET "disabled" = $1 WHERE "id" = $2', [disabled ? 1 : 0, id]);
  }

  async setPasswordHash(m: EntityManager, id: string, hash: string): Promise<void> {
    await execute(m, 'UPDATE "user" SET "password_hash" = $1 WHERE "id" = $2', [hash, id]);
  }

  async setPrimaryRole(m: EntityManager, id: string, role: Role): Promise<void> {
    await execute(m, 'UPDATE "user" SET "role" = $1 WHERE "id" = $2', [role, id]);
  }

  /** Each user's roles: one user's, or every user's when userId is omitted. */
  async rolesOf(m: EntityManager, userId?: string): Promise<Map<string, Role[]>> {
    const rows = userId === undefined
      ? await selectRows<{ user_id: string; role: Role }>(m, 'SELECT "user_id", "role" FROM "user_role" ORDER BY "user_id", "role"')
      : await selectRows<{ user_id: string; role: Role }>(m, 'SELECT "user_id", "role" FROM "user_role" WHERE "user_id" = $1 ORDER BY "role"', [userId]);
    const out = new Map<string, Role[]>();
    for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role]);
    return out;
  }

  async setRoles(m: EntityManager, id: string, roles: readonly Role[]): Promise<void> {
    await execute(m, 'DELETE FROM "user_role" WHERE "user_id" = $1', [id]);
    for (const role of roles) {
      await execute(m, 'INSERT INTO "user_role" ("user_id", "role") VALUES ($1, $2) ON CONFLICT ("user_id", "role") DO NOTHING', [id, role]);
    }
  }

  /**
   * Held until the unit of work ends (PostgreSQL): user changes run one at a time, so two that
   * each leave the other as the last administrator, two role changes of one user, or two new users
   * with one email are judged one after the other. SQLite has one writer.
   */
  lockForChange(m: EntityManager): Promise<void> {
    return locks.hold(m, 'users', 'alone');
  }

  /** The ids of the active users who hold this role. */
  async activeHolders(m: EntityManager, role: Role): Promise<string[]> {
    const rows = await selectRows<{ id: string }>(m, `SELECT u."id" FROM "user" u JOIN "user_role" r ON r."user_id" = u."id"
      WHERE r."role" = $1 AND u."disabled" = 0 ORDER BY u."id"`, [role]);
    return rows.map((r) => r.id);
  }
}
