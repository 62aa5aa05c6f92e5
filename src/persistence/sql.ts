import { EntityManager, QueryRunner } from 'typeorm';

/**
 * The one place where SQLite and PostgreSQL differ for repositories. SQL is written once, in the
 * subset both engines share (standard SQL, `INSERT ... ON CONFLICT DO NOTHING`, `RETURNING`), with
 * PostgreSQL's numbered placeholders `$1, $2, ...`; SQLite reads the same numbers as `?1, ?2, ...`.
 * Only repositories (and migrations) call these functions.
 */

export type SqlEngine = 'sqlite' | 'postgres';

export function engineOf(m: EntityManager): SqlEngine {
  return m.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** `$n` becomes `?n` on SQLite (numbered parameters bind by number there too, repeats included). */
export function forEngine(sql: string, engine: SqlEngine): string {
  return engine === 'postgres' ? sql : sql.replace(/\$(\d+)/g, '?$1');
}

/** A SELECT (or anything that returns rows without changing them). */
export function selectRows<T>(m: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  return m.query(forEngine(sql, engineOf(m)), [...params]);
}

/** The first row of a SELECT, or null. */
export async function selectOne<T>(m: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T | null> {
  const [row] = await selectRows<T>(m, sql, params);
  return row ?? null;
}

/** An INSERT, UPDATE or DELETE without RETURNING; answers how many rows it changed. */
export function execute(m: EntityManager, sql: string, params: readonly unknown[] = []): Promise<number> {
  return structured(m, forEngine(sql, engineOf(m)), params).then((r) => r.affected ?? 0);
}

/**
 * An INSERT, UPDATE or DELETE ending in `RETURNING ...`; answers the returned rows. TypeORM's SQLite
 * runner discards rows for statements that begin with INSERT/UPDATE/DELETE, so on SQLite the
 * statement is led by a comment, which sends it down the path that keeps them.
 */
export function returning<T>(m: EntityManager, sql: string, params: readonly unknown[] = []): Promise<T[]> {
  const engine = engineOf(m);
  const text = engine === 'sqlite' ? `/* returning */ ${forEngine(sql, engine)}` : sql;
  return structured(m, text, params).then((r) => (r.records ?? []) as T[]);
}

interface StructuredResult { affected?: number; records?: unknown[] }

async function structured(m: EntityManager, sql: string, params: readonly unknown[]): Promise<StructuredResult> {
  const own: QueryRunner | null = m.queryRunner ? null : m.connection.createQueryRunner();
  const runner = m.queryRunner ?? own!;
  try {
    return (await runner.query(sql, [...params], true)) as StructuredResult;
  } finally {
    if (own) await own.release();
  }
}

/** `$from, $from+1, ...` for `count` values: an IN list, or one row of a multi-row VALUES. */
export function placeholders(count: number, from: number): string {
  return Array.from({ length: count }, (_, i) => `$${from + i}`).join(', ');
}

/** Ids bound in one IN (...) list: far below either engine's parameter limit. */
export const IDS_PER_STATEMENT = 500;

/** `items` cut into runs of at most `size`: one statement per run keeps its parameters under either engine's limit. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Appended to the inner SELECT of a claim (`UPDATE ... WHERE "id" IN (SELECT ... LIMIT n <here>)
 * RETURNING ...`): on PostgreSQL rows another transaction is claiming are skipped instead of waited
 * for; SQLite has one writer, so a claim there is already alone.
 */
export function skipLocked(m: EntityManager): string {
  return engineOf(m) === 'postgres' ? ' FOR UPDATE SKIP LOCKED' : '';
}

/**
 * Appended to a SELECT that reads a row the transaction will change, never its key (PostgreSQL
 * locks it; SQLite has one writer). NO KEY UPDATE, not UPDATE: a row inserted elsewhere that
 * references this one (an audit event's incident) takes a KEY SHARE lock for its foreign key, which
 * FOR UPDATE would block, and a transaction holding the audit chain's head while it waits for that
 * would deadlock with one holding this row while it waits for the head.
 */
export function forUpdate(m: EntityManager): string {
  return engineOf(m) === 'postgres' ? ' FOR NO KEY UPDATE' : '';
}

