import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Database } from 'sqlite3';
import { pgQuery } from './pg-database';

/**
 * A test's database, outside the app, on whichever engine the test app runs: its PostgreSQL database
 * (DATABASE_URL of the app's config, BF_TEST_PG=1) through `pg`, or else its SQLite file through
 * sqlite3. SQL is written as for src/persistence/sql.ts: PostgreSQL's $1, $2 placeholders (SQLite
 * gets ?1, ?2), double-quoted identifiers, and CAST(COUNT(*) AS INTEGER) for counts.
 */
export interface TestDb {
  readonly engine: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs statements (to tamper); with params, one statement. */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** The `n` column of the first row, as a number. */
  count(sql: string, params?: unknown[]): Promise<number>;
}

export interface DbTarget { databasePath: string; databaseUrl?: string | null }

const toSqlite = (sql: string) => sql.replace(/\$(\d+)/g, '?$1');

function sqlite<T>(path: string, run: (db: Database, done: (err: Error | null, rows?: T[]) => void) => void): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const db = new Database(path);
    run(db, (err, rows) => db.close(() => (err ? reject(err) : resolve(rows ?? []))));
  });
}

export function testDb(config: DbTarget): TestDb {
  const url = config.databaseUrl;
  if (url) {
    return {
      engine: 'postgres',
      all: <T>(sql: string, params: unknown[] = []) => pgQuery<T>(url, sql, params),
      exec: async (sql, params = []) => { await pgQuery(url, sql, params); },
      count: async (sql, params = []) => Number((await pgQuery<{ n: unknown }>(url, sql, params))[0].n),
    };
  }
  const path = config.databasePath;
  const all = <T>(sql: string, params: unknown[] = []) => sqlite<T>(path, (db, done) => db.all(toSqlite(sql), params, (err, rows: T[]) => done(err, rows)));
  return {
    engine: 'sqlite',
    all,
    exec: async (sql, params = []) => {
      await sqlite(path, (db, done) => (params.length ? db.run(toSqlite(sql), params, (err) => done(err)) : db.exec(sql, (err) => done(err))));
    },
    count: async (sql, params = []) => Number((await all<{ n: unknown }>(sql, params))[0].n),
  };
}

/**
 * What the database holds at rest, as bytes to search for plaintext: the SQLite file and its WAL,
 * or on PostgreSQL a plain-text pg_dump of the test database (every row of every table, as the
 * server stores it; the cluster's own files are not read, so its page layout or TOAST compression
 * cannot hide a value from the search).
 */
export function storedBytes(config: DbTarget): Buffer[] {
  if (config.databaseUrl) {
    const { pgBin } = require('./pg-cluster') as { pgBin: () => string };
    return [execFileSync(join(pgBin(), 'pg_dump'), ['--data-only', '--no-owner', config.databaseUrl], { maxBuffer: 512 * 1024 * 1024 })];
  }
  const wal = `${config.databasePath}-wal`;
  return [readFileSync(config.databasePath), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)];
}

/** The environment a CLI or server child needs to open the test app's database (its keys lie beside DATABASE_PATH). */
export function dbEnv(config: DbTarget): Record<string, string> {
  return { DATABASE_PATH: config.databasePath, ...(config.databaseUrl ? { DATABASE_URL: config.databaseUrl } : {}) };
}

/**
 * A copy of the test app's database, taken while nothing holds it open (the app closed), to put
 * back after tampering: the SQLite file copied; on PostgreSQL a database made from it as template.
 */
export async function snapshotDb(config: DbTarget): Promise<{ restore(): Promise<void>; drop(): Promise<void> }> {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    const name = decodeURIComponent(url.pathname.slice(1));
    const copy = `${name}_pristine`;
    const server = new URL(config.databaseUrl);
    server.pathname = '/postgres';
    const admin = (sql: string) => pgQuery(server.toString(), sql);
    await admin(`CREATE DATABASE "${copy}" TEMPLATE "${name}"`);
    return {
      restore: async () => {
        await admin(`DROP DATABASE "${name}" WITH (FORCE)`);
        await admin(`CREATE DATABASE "${name}" TEMPLATE "${copy}"`);
      },
      drop: async () => { await admin(`DROP DATABASE IF EXISTS "${copy}" WITH (FORCE)`); },
    };
  }
  const path = config.databasePath;
  const copy = `${path}.pristine`;
  copyFileSync(path, copy);
  return {
    restore: async () => {
      for (const f of [`${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
      copyFileSync(copy, path);
    },
    drop: async () => rmSync(copy, { force: true }),
  };
}

/** The statement that drops one of the triggers that refuse changes (migration-dialect.ts's refuseChanges). */
export function dropTriggerSql(engine: TestDb['engine'], table: string, trigger: string): string {
  return engine === 'postgres' ? `DROP TRIGGER "${trigger}" ON "${table}";` : `DROP TRIGGER "${trigger}";`;
}
