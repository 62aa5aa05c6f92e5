import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Database } from 'sqlite3';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { loadConfig, loadRulePack } from '../src/config/config';
import { instantAt } from '../src/domain/rules/calendar';
import { IncidentsService } from '../src/incidents/incidents.service';
import { ReminderSweeper } from '../src/reminders/reminder-sweeper.service';
import { SettingsService } from '../src/settings/settings.service';
import { PhaseResult, runPhaseFromArgv, summarize } from './harness';
import { withPgDatabase } from './pg-bench';

/**
 * The sweep's cost with 100 reminders due and 0, 1k, 10k or 100k other open obligations (each
 * with its 7 pending ladder rows): it claims through an index on (status, due_at), so the time
 * should follow the 100 due, not the number open. On SQLite (the file) and on PostgreSQL (a
 * throw-away cluster, `pg*` phases).
 */

const ZONE = 'America/Chicago';
const DUE = 100;
const ROUNDS = 7;
const actor = { id: 'bench', via: 'system' as const };

/** Statements outside the app, in the engine's own client ($1, $2 placeholders). */
interface Direct {
  exec(sql: string, params?: unknown[]): Promise<void>;
  close(): Promise<void>;
}

function sqliteDirect(path: string): Direct {
  const db = new Database(path);
  return {
    exec: (sql, params = []) => new Promise((resolve, reject) => db.run(sql.replace(/\$(\d+)/g, '?$1'), params, (e) => (e ? reject(e) : resolve()))),
    close: () => new Promise((r) => db.close(() => r())),
  };
}

async function pgDirect(url: string): Promise<Direct> {
  const c = new Client({ connectionString: url });
  await c.connect();
  return { exec: async (sql, params = []) => void (await c.query(sql, params)), close: () => c.end() };
}

/** The other open obligations' ladders: 7 pending rows each, none due, in multi-row inserts. */
async function seedOpen(db: Direct, ids: string[], obligations: number): Promise<void> {
  const rows: unknown[][] = [];
  for (let i = 0; i < obligations; i++) {
    for (let step = 0; step < 7; step++) rows.push([ids[i % ids.length], `SYNTH/${i}`, '2027-05-02', `2027-05-0${step + 1}T14:00:00.000Z`]);
  }
  await db.exec('BEGIN');
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const values = chunk.map((_, j) => `($${j * 4 + 1}, $${j * 4 + 2}, '2027-06-01', $${j * 4 + 3}, 'before', 30, 0, $${j * 4 + 4}, 'pending')`);
    await db.exec(`INSERT INTO "reminder" ("incident_id", "obligation_key", "due_on", "send_on", "kind", "days_left", "escalate", "due_at", "status") VALUES ${values.join(', ')}`, chunk.flat());
  }
  await db.exec('COMMIT');
}

async function phase(open: number, databaseUrl: string | null = null): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-rem-'));
  const config = { ...loadConfig({}), databasePath: join(dir, 'b.sqlite'), databaseUrl, outboxDir: join(dir, 'outbox'), reminderPollSeconds: 0, smtpUrl: null, timezone: ZONE };
  const clock = new FixedClock(instantAt('2026-03-02', 8, ZONE));
  let app = await createApp({ config, rulePack: loadRulePack(config.rulePackPath), clock, logger: false });
  await app.init();
  await app.get(SettingsService).update(actor, { privacyOfficerEmail: 'po@clinic.example' });
  const ids: string[] = [];
  for (let i = 0; i < DUE; i++) {
    ids.push((await app.get(IncidentsService).report(actor, { summary: 'bench', facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 10, byJurisdiction: { MN: 10 } } } })).id);
  }
  await app.close();
  const db = databaseUrl ? await pgDirect(databaseUrl) : sqliteDirect(config.databasePath);
  await seedOpen(db, ids, open);
  // Fresh planner statistics after the bulk load, as autovacuum would give a real database.
  if (databaseUrl) await db.exec('ANALYZE');
  app = await createApp({ config, rulePack: loadRulePack(config.rulePackPath), clock, logger: false });
  await app.init();
  const sweeper = app.get(ReminderSweeper);
  const at = instantAt('2026-04-01', 10, ZONE);
  const latencies: bigint[] = [];
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    const queued = await sweeper.sweep(at);
    latencies.push(process.hrtime.bigint() - t0);
    if (queued !== DUE) throw new Error(`queued ${queued}, expected ${DUE}`);
    // Put the same 100 back, for the next round.
    await db.exec('DELETE FROM "outbox_incident"');
    await db.exec('DELETE FROM "outbox"');
    await db.exec(`UPDATE "reminder" SET "status" = 'pending' WHERE "send_on" = '2026-04-01'`);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await db.close();
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return summarize(latencies, seconds);
}

const onPg = (open: number) => () => withPgDatabase((url) => phase(open, url));

if (require.main === module) {
  runPhaseFromArgv({
    open0: () => phase(0), open1k: () => phase(1_000), open10k: () => phase(10_000), open100k: () => phase(100_000),
    pgOpen0: onPg(0), pgOpen1k: onPg(1_000), pgOpen10k: onPg(10_000), pgOpen100k: onPg(100_000),
  });
}
