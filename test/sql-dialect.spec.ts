import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { chunks, execute, forEngine, placeholders, returning, selectOne, selectRows } from '../src/persistence/sql';

/** The dialect module on a real SQLite file: one SQL text, PostgreSQL's placeholders, both paths. */
describe('sql dialect (SQLite)', () => {
  let dir: string;
  let db: DataSource;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bf-sql-'));
    db = await new DataSource({ type: 'sqlite', database: join(dir, 't.sqlite') }).initialize();
    await db.query('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL UNIQUE, "n" INTEGER NOT NULL)');
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('numbers placeholders for SQLite and leaves PostgreSQL alone', () => {
    expect(forEngine('SELECT $1, $2, $1', 'sqlite')).toBe('SELECT ?1, ?2, ?1');
    expect(forEngine('SELECT $1, $2, $1', 'postgres')).toBe('SELECT $1, $2, $1');
  });

  it('cuts lists into runs for multi-row statements, and numbers their placeholders', () => {
    expect(chunks([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunks([1, 2], 2)).toEqual([[1, 2]]);
    expect(chunks([], 500)).toEqual([]);
    expect(placeholders(3, 4)).toBe('$4, $5, $6');
  });

  it('binds by number, repeats and out-of-order use included', async () => {
    const row = await selectOne<{ a: string; b: string; c: string }>(db.manager, 'SELECT $2 AS a, $1 AS b, $2 AS c', ['x', 'y']);
    expect(row).toEqual({ a: 'y', b: 'x', c: 'y' });
  });

  it('counts changed rows, and ON CONFLICT DO NOTHING changes none', async () => {
    expect(await execute(db.manager, 'INSERT INTO "t" ("name", "n") VALUES ($1, $2)', ['a', 1])).toBe(1);
    expect(await execute(db.manager, 'INSERT INTO "t" ("name", "n") VALUES ($1, $2) ON CONFLICT DO NOTHING', ['a', 9])).toBe(0);
    expect(await execute(db.manager, 'UPDATE "t" SET "n" = "n" + 1 WHERE "name" = $1', ['a'])).toBe(1);
    expect(await execute(db.manager, 'UPDATE "t" SET "n" = 0 WHERE "name" = $1', ['nobody'])).toBe(0);
  });

  it('returns RETURNING rows, inside a transaction as well as outside', async () => {
    const out = await returning<{ id: number; n: number }>(db.manager, 'INSERT INTO "t" ("name", "n") VALUES ($1, $2) RETURNING "id", "n"', ['b', 5]);
    expect(out).toEqual([{ id: expect.any(Number), n: 5 }]);
    const inside = await db.transaction((m) => returning<{ n: number }>(m, 'UPDATE "t" SET "n" = "n" * 2 WHERE "name" = $1 RETURNING "n"', ['b']));
    expect(inside).toEqual([{ n: 10 }]);
    expect(await selectRows(db.manager, 'SELECT "name" FROM "t" ORDER BY "name"')).toEqual([{ name: 'a' }, { name: 'b' }]);
  });
});
