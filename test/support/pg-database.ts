import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

/**
 * PostgreSQL for tests: when a cluster is given (BF_TEST_PG_URL, set by test/global-setup.js under
 * BF_TEST_PG=1 or by .ci/run; or DATABASE_URL), each test app gets a fresh database of its own in it.
 * Answers null when no cluster is given: the tests run on SQLite files.
 */
export function testPgServer(): string | null {
  return process.env.BF_TEST_PG_URL || process.env.DATABASE_URL || null;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(server: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: server });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** A new empty database in the test cluster; `drop` removes it (closing what still holds it). */
export async function createTestDatabase(server = testPgServer()): Promise<TestDatabase | null> {
  if (!server) return null;
  const name = `bf_test_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
  await admin(server, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(server, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/** Runs statements on a test database directly, outside the app: to look, or to tamper. */
export function pgQuery<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return admin(url, async (c) => (await c.query(sql, params)).rows as T[]);
}

/** How many of this database's sessions wait on a lock (PostgreSQL), asked through the app's DataSource. */
export async function lockWaiters(ds: { query(sql: string): Promise<{ n: string | number }[]> }): Promise<number> {
  return Number((await ds.query(`SELECT count(*) AS "n" FROM pg_stat_activity WHERE "wait_event_type" = 'Lock' AND "datname" = current_database()`))[0].n);
}

/**
 * For tests that hold one transaction open: polls (every 10 ms, at most `tries` times) until a
 * session waits on a lock or `stop()` says there is nothing left to wait for; answers the waiters.
 */
export async function untilLockWaiter(ds: Parameters<typeof lockWaiters>[0], stop: () => boolean = () => false, tries = 500): Promise<number> {
  for (let i = 0; i < tries && !stop(); i++) {
    const n = await lockWaiters(ds);
    if (n > 0) return n;
    await new Promise((r) => setTimeout(r, 10));
  }
  return lockWaiters(ds);
}
