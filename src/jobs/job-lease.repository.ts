import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, returning, selectOne, selectRows } from '../persistence/sql';

export interface NewLease {
  job: string;
  kind: string;
  ref: string;
  owner: string;
  token: string;
  expiresAt: string;
  acquiredAt: string;
}

/** SQL of job leases. Times are ISO strings from the lease clock, compared as text (they sort as times). */
@Injectable()
export class JobLeaseRepository {
  async insert(m: EntityManager, l: NewLease): Promise<void> {
    await execute(m, 'INSERT INTO "job_lease" ("job", "kind", "ref", "owner", "token", "expires_at", "acquired_at") VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [l.job, l.kind, l.ref, l.owner, l.token, l.expiresAt, l.acquiredAt]);
  }

  /**
   * Takes the lease when no row holds it or its row has expired, in one statement (an upsert whose
   * update is conditional on the expiry); answers true when the row now carries this lease's token.
   */
  async insertIfFree(m: EntityManager, l: NewLease, now: string): Promise<boolean> {
    const rows = await returning<{ token: string }>(m,
      `INSERT INTO "job_lease" ("job", "kind", "ref", "owner", "token", "expires_at", "acquired_at") VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT ("job") DO UPDATE SET "owner" = excluded."owner", "token" = excluded."token", "expires_at" = excluded."expires_at", "acquired_at" = excluded."acquired_at"
       WHERE "job_lease"."expires_at" < $8 RETURNING "token"`,
      [l.job, l.kind, l.ref, l.owner, l.token, l.expiresAt, l.acquiredAt, now]);
    return rows.length === 1 && rows[0].token === l.token;
  }

  async tokenOf(m: EntityManager, job: string): Promise<string | null> {
    return (await selectOne<{ token: string }>(m, 'SELECT "token" FROM "job_lease" WHERE "job" = $1', [job]))?.token ?? null;
  }

  /** Pushes the expiry of a lease still held under `token`; answers 1, or 0 if it was taken over. */
  renew(m: EntityManager, job: string, token: string, expiresAt: string): Promise<number> {
    return execute(m, 'UPDATE "job_lease" SET "expires_at" = $1 WHERE "job" = $2 AND "token" = $3', [expiresAt, job, token]);
  }

  async remove(m: EntityManager, job: string, token: string): Promise<void> {
    await execute(m, 'DELETE FROM "job_lease" WHERE "job" = $1 AND "token" = $2', [job, token]);
  }

  expired(m: EntityManager, kind: string, now: string): Promise<{ job: string; ref: string }[]> {
    return selectRows(m, 'SELECT "job", "ref" FROM "job_lease" WHERE "kind" = $1 AND "expires_at" < $2 ORDER BY "expires_at"', [kind, now]);
  }

  /** Takes an expired lease over for `owner` under a new token; false if it is live (renewed, or taken by another). */
  async takeOver(m: EntityManager, job: string, owner: string, token: string, expiresAt: string, now: string): Promise<boolean> {
    const rows = await returning<{ token: string }>(m,
      'UPDATE "job_lease" SET "owner" = $1, "token" = $2, "expires_at" = $3 WHERE "job" = $4 AND "expires_at" < $5 RETURNING "token"',
      [owner, token, expiresAt, job, now]);
    return rows.length === 1 && rows[0].token === token;
  }
}
