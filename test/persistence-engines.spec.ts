import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { loadConfig, loadRulePack } from '../src/config/config';
import { JobLeaseRepository } from '../src/jobs/job-lease.repository';
import { IncidentRepository } from '../src/incidents/incident.repository';
import { dataSourceOptions, openDataSource } from '../src/persistence/data-source-options';
import { MIGRATIONS } from '../src/persistence/data-source-options';
import { selectRows } from '../src/persistence/sql';
import { TransactionRunner } from '../src/persistence/transaction-runner';
import { SqliteReader } from '../src/persistence/sqlite-reader';
import { OutboxRepository } from '../src/reminders/outbox.repository';
import { ReminderRepository } from '../src/reminders/reminder.repository';
import { createTestDatabase, TestDatabase, testPgServer } from './support/pg-database';

/**
 * "Medium" tests of the persistence core on a real database of each engine: the migrations, and the
 * claims that several instances rely on (outbox, reminders, leases, references). PostgreSQL runs
 * when a test cluster is given (BF_TEST_PG=1 or .ci/run); SQLite always.
 */
const ENGINES = testPgServer() ? ['sqlite', 'postgres'] as const : ['sqlite'] as const;
const AT = '2026-11-23T15:00:00.000Z';

describe.each(ENGINES)('persistence on %s', (engine) => {
  let dir: string;
  let pg: TestDatabase | null = null;
  let db: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bf-engines-'));
    pg = engine === 'postgres' ? await createTestDatabase() : null;
    db = await openDataSource(dataSourceOptions({ databasePath: join(dir, 'bf.sqlite'), databaseUrl: pg?.url ?? null, databasePoolSize: 8 }));
    runner = new TransactionRunner(db);
    await db.query(`INSERT INTO "incident" ("id", "reference", "phase", "is_open", "snapshot", "machine_version", "rule_pack_version", "version", "created_at", "updated_at")
      VALUES ('i1', 'BF-2026-0007', 'triage', 1, '{}', 1, 'p', 1, '${AT}', '${AT}')`);
  });
  afterAll(async () => {
    await db?.destroy();
    await pg?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs every migration, and the trails refuse edits', async () => {
    const names = (await selectRows<{ name: string }>(db.manager, 'SELECT "name" FROM "migrations" ORDER BY "id"')).map((r) => r.name);
    expect(names).toEqual(MIGRATIONS.map((M) => new M().name));
    await db.query(`INSERT INTO "incident_event" ("seq", "incident_id", "incident_version", "type", "payload", "to_phase", "actor", "at", "state_hash", "prev_hash", "hash")
      VALUES (1, 'i1', 1, 'incident.reported', '{}', 'triage', 'a', '${AT}', 's', 'p', 'h1')`);
    await expect(db.query(`UPDATE "incident_event" SET "actor" = 'x'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM "incident_event"`)).rejects.toThrow(/append-only/);
  });

  it('numbers references from the counter row, seeded past the existing ones, distinct under concurrent reports', async () => {
    const repo = new IncidentRepository();
    const numbers = await Promise.all(Array.from({ length: 12 }, () => runner.transaction((m) => repo.nextReferenceNumber(m, 'BF-2026-'))));
    expect(new Set(numbers).size).toBe(12);
    expect(Math.min(...numbers)).toBe(1); // the migration found no incident when it ran (seeding: the SQLite upgrade test)
    expect(await runner.transaction((m) => repo.nextReferenceNumber(m, 'BF-2027-'))).toBe(1);
  });

  it('claims each due outbox message once, however many claimers run at once', async () => {
    const outbox = new OutboxRepository();
    await runner.transaction(async (m) => {
      for (let i = 0; i < 60; i++) {
        await outbox.insertOnce(m, { key: `k${i}`, messageId: `<m${i}@t>`, incidentIds: ['i1'], recipient: 'a@b.test', subject: 's', text: 't', html: 'h' }, AT);
      }
      expect(await outbox.insertOnce(m, { key: 'k0', messageId: '<m0@t>', incidentIds: ['i1'], recipient: 'a@b.test', subject: 's', text: 't', html: 'h' }, AT)).toBe(0);
    });
    const claimed: number[] = [];
    const claimer = async () => {
      for (;;) {
        const row = await runner.transaction((m) => outbox.claimNext(m, AT));
        if (!row) return;
        claimed.push(row.id);
        expect(Number(row.attempts)).toBe(1);
      }
    };
    await Promise.all(Array.from({ length: 6 }, claimer));
    expect(claimed).toHaveLength(60);
    expect(new Set(claimed).size).toBe(60);
  });

  it("finds an incident's messages through outbox_incident, filled by the database for every writer", async () => {
    const outbox = new OutboxRepository();
    await db.query(`INSERT INTO "outbox" ("idempotency_key", "message_id", "incident_ids", "recipient", "subject", "text", "html", "status", "attempts", "next_attempt_at", "created_at")
      VALUES ('digest', '<d@t>', '["i1","i2"]', 'x@b.test', 'digest', 't', 'h', 'pending', 0, '${AT}', '${AT}')`);
    const i1 = await runner.read((m) => outbox.deliveriesOf(m, 'i1'));
    expect(i1).toHaveLength(61);
    expect(i1[60]).toMatchObject({ recipient: 'x@b.test', subject: 'digest', status: 'pending' });
    expect(await runner.read((m) => outbox.deliveriesOf(m, 'i2'))).toHaveLength(1);
    expect(await runner.read((m) => outbox.deliveriesOf(m, 'i3'))).toHaveLength(0);
  });

  it('claims due reminders for one sweep only, and a rolled-back sweep gives them back', async () => {
    const reminders = new ReminderRepository();
    await runner.transaction((m) => reminders.insertMany(m, 'i1', Array.from({ length: 30 }, (_, i) => ({
      obligationKey: `o${i}`, dueOn: '2026-12-01', sendOn: '2026-11-23', kind: 'ladder', daysLeft: 8, escalate: false, dueAt: '2026-11-23T09:00:00.000Z',
    }))));
    await expect(runner.transaction(async (m) => {
      expect(await reminders.claimDue(m, AT, 10)).toHaveLength(10);
      throw new Error('the sweep failed');
    })).rejects.toThrow('the sweep failed');
    const sweeps = await Promise.all(Array.from({ length: 4 }, () => runner.transaction(async (m) => {
      const due = await reminders.claimDue(m, AT, 10);
      for (const r of due) await reminders.mark(m, r.id, 'queued');
      return due.map((r) => r.id);
    })));
    const all = sweeps.flat();
    expect(all).toHaveLength(30);
    expect(new Set(all).size).toBe(30);
  });

  it('lets exactly one process take an expired lease over', async () => {
    const leases = new JobLeaseRepository();
    await runner.transaction((m) => leases.insert(m, { job: 'outbox:1', kind: 'outbox', ref: '1', owner: 'dead', token: 't0', expiresAt: '2026-01-01T00:00:00.000Z', acquiredAt: '2026-01-01T00:00:00.000Z' }));
    const wins = await Promise.all(['a', 'b', 'c', 'd'].map((who) => runner.transaction((m) => leases.takeOver(m, 'outbox:1', who, `t-${who}`, '2026-12-01T00:00:00.000Z', AT))));
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await runner.transaction((m) => leases.renew(m, 'outbox:1', 't0', '2027-01-01T00:00:00.000Z'))).toBe(0);
  });
});

describe('group commit on SQLite', () => {
  let dir: string;
  let db: DataSource;
  let runner: TransactionRunner;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bf-group-'));
    db = await new DataSource({ type: 'sqlite', database: join(dir, 'g.sqlite') }).initialize();
    await db.query('CREATE TABLE "t" ("name" TEXT PRIMARY KEY)');
    runner = new TransactionRunner(db);
  });
  afterAll(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits the units queued together once, rolls a failing one back to its savepoint only, and answers after the commit', async () => {
    const order: string[] = [];
    const insert = (name: string, fail = false) => runner.transaction(async (m) => {
      await m.query('INSERT INTO "t" ("name") VALUES (?)', [name]);
      order.push(`ran ${name}`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    });
    // The first unit holds the writer; the next three queue behind it and form one group.
    const first = insert('first');
    const [a, b, c] = [insert('a'), insert('b', true), insert('c')];
    const answered = (p: Promise<string>, name: string) => p.then(() => order.push(`answered ${name}`), () => order.push(`failed ${name}`));
    await Promise.all([answered(first, 'first'), answered(a, 'a'), answered(b, 'b'), answered(c, 'c')]);
    await expect(b).rejects.toThrow('b failed');
    expect(await a).toBe('a');
    // a's answer waited for c to run: one commit for the group, released after it.
    expect(order.indexOf('answered a')).toBeGreaterThan(order.indexOf('ran c'));
    expect((await db.query('SELECT "name" FROM "t" ORDER BY "name"')).map((r: { name: string }) => r.name)).toEqual(['a', 'c', 'first']);
  });

  it('a transaction queued while a group runs joins it, and is answered with it after the one commit', async () => {
    const order: string[] = [];
    let late: Promise<string> | undefined;
    const insert = (name: string, during?: () => void) => runner.transaction(async (m) => {
      await m.query('INSERT INTO "t" ("name") VALUES (?)', [name]);
      order.push(`ran ${name}`);
      during?.();
      return name;
    });
    const first = insert('j-first');
    const a = insert('j-a', () => { late = insert('j-late'); });
    const b = insert('j-b');
    await Promise.all([first, a.then(() => order.push('answered j-a')), b]);
    expect(await late).toBe('j-late');
    // j-late was queued while j-a's group ran: it ran in that group, before the group's answers.
    expect(order.indexOf('ran j-late')).toBeLessThan(order.indexOf('answered j-a'));
  });

  /** A read that holds the (single-connection) runner until `open()` is called. */
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => (open = resolve));
    return { held: runner.read(() => opened), open };
  };

  it('a failed commit fails every unit of the group and keeps none of it', async () => {
    await db.query('CREATE TABLE "u" ("n" INTEGER NOT NULL REFERENCES "t" ("name") DEFERRABLE INITIALLY DEFERRED)');
    await db.query('PRAGMA foreign_keys = ON');
    const g = gate();
    const ok = runner.transaction((m) => m.query('INSERT INTO "t" ("name") VALUES (?)', ['kept?']));
    const bad = runner.transaction((m) => m.query('INSERT INTO "u" ("n") VALUES (?)', ['nobody'])); // fails only at COMMIT
    g.open();
    await g.held;
    await expect(ok).rejects.toThrow(/FOREIGN KEY/);
    await expect(bad).rejects.toThrow(/FOREIGN KEY/);
    expect(await db.query(`SELECT "name" FROM "t" WHERE "name" = 'kept?'`)).toEqual([]);
  });
});

describe('the read connection on SQLite', () => {
  let dir: string;
  let nest: INestApplication;
  let runner: TransactionRunner;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bf-reader-'));
    const config = { ...loadConfig({}), port: 0, databasePath: join(dir, 'r.sqlite'), outboxDir: join(dir, 'outbox'), reminderPollSeconds: 0 };
    nest = await createApp({ config, rulePack: loadRulePack(join(__dirname, '..', 'config', 'state-rules.json')), clock: new FixedClock(new Date(AT)), logger: false });
    await nest.init();
    runner = nest.get(TransactionRunner);
  });
  afterAll(async () => {
    await nest.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const counters = (m: EntityManager) => selectRows<{ prefix: string }>(m, 'SELECT "prefix" FROM "incident_reference_counter" ORDER BY "prefix"').then((rs) => rs.map((r) => r.prefix));

  it('reads without waiting for the writer, and sees only what was committed', async () => {
    const insert = (m: EntityManager, prefix: string) => m.query('INSERT INTO "incident_reference_counter" ("prefix", "last") VALUES (?, 1)', [prefix]);
    await runner.transaction((m) => insert(m, 'R-1'));
    // A read issued while a transaction holds the writer answers before it commits (on one
    // connection it would wait for the commit: this transaction would never end).
    const seenDuring = await runner.transaction(async (m) => {
      await insert(m, 'R-2');
      return runner.read(counters);
    });
    expect(seenDuring).toEqual(['R-1']);
    expect(await runner.read(counters)).toEqual(['R-1', 'R-2']);
  });

  it('refuses a write through read, and keeps nothing of it', async () => {
    await expect(runner.read((m) => m.query('INSERT INTO "incident_reference_counter" ("prefix", "last") VALUES (?, 1)', ['R-3']))).rejects.toThrow(/readonly/);
    expect(await runner.read(counters)).toEqual(['R-1', 'R-2']);
  });

  // Last: it closes the read connection (the app's shutdown does the same, before the writer closes).
  it('closing lets a read in flight finish on it; the reads queued behind it and after go to the writer', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let began!: () => void;
    const begun = new Promise<void>((r) => (began = r));
    const inFlight = runner.read(async (m) => {
      const first = await counters(m);
      began();
      await gate;
      return [...first, ...(await counters(m))];
    });
    const queued = runner.read(counters);
    await begun;
    const closing = nest.get(SqliteReader).beforeApplicationShutdown();
    release();
    await closing;
    expect(await inFlight).toEqual(['R-1', 'R-2', 'R-1', 'R-2']);
    expect(await queued).toEqual(['R-1', 'R-2']);
    expect(nest.get(SqliteReader).open).toBe(false);
    expect(await runner.read(counters)).toEqual(['R-1', 'R-2']);
  });
});
