import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from 'sqlite3';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { loadConfig, loadRulePack } from '../src/config/config';
import { instantAt } from '../src/domain/rules/calendar';
import { IncidentsService } from '../src/incidents/incidents.service';
import { ReminderSweeper } from '../src/reminders/reminder-sweeper.service';
import { SettingsService } from '../src/settings/settings.service';
import { runPhaseFromArgv, summarize } from './harness';

/**
 * The sweep's cost with 100 reminders due and 0, 1k, 10k or 100k other open obligations (each
 * with its 7 pending ladder rows): it claims through an index on (status, due_at), so the time
 * should follow the 100 due, not the number open.
 */

const ZONE = 'America/Chicago';
const DUE = 100;
const ROUNDS = 7;
const actor = { id: 'bench', via: 'system' as const };

function exec(db: Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (e) => (e ? reject(e) : resolve())));
}

async function seedOpen(path: string, ids: string[], obligations: number): Promise<void> {
  const db = new Database(path);
  await exec(db, 'BEGIN');
  const stmt = db.prepare(`INSERT INTO reminder (incident_id, obligation_key, due_on, send_on, kind, days_left, escalate, due_at, status)
    VALUES (?, ?, '2027-06-01', ?, 'before', 30, 0, ?, 'pending')`);
  for (let i = 0; i < obligations; i++) {
    for (let step = 0; step < 7; step++) stmt.run(ids[i % ids.length], `SYNTH/${i}`, '2027-05-02', `2027-05-0${step + 1}T14:00:00.000Z`);
  }
  await new Promise((r) => stmt.finalize(r));
  await exec(db, 'COMMIT');
  await new Promise((r) => db.close(r));
}

async function phase(open: number) {
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-rem-'));
  const config = { ...loadConfig({}), databasePath: join(dir, 'b.sqlite'), outboxDir: join(dir, 'outbox'), reminderPollSeconds: 0, smtpUrl: null, timezone: ZONE };
  const clock = new FixedClock(instantAt('2026-03-02', 8, ZONE));
  let app = await createApp({ config, rulePack: loadRulePack(config.rulePackPath), clock, logger: false });
  await app.init();
  await app.get(SettingsService).update(actor, { privacyOfficerEmail: 'po@clinic.example' });
  const ids: string[] = [];
  for (let i = 0; i < DUE; i++) {
    ids.push((await app.get(IncidentsService).report(actor, { summary: 'bench', facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 10, byJurisdiction: { MN: 10 } } } })).id);
  }
  await app.close();
  await seedOpen(config.databasePath, ids, open);
  app = await createApp({ config, rulePack: loadRulePack(config.rulePackPath), clock, logger: false });
  await app.init();
  const sweeper = app.get(ReminderSweeper);
  const db = new Database(config.databasePath);
  const at = instantAt('2026-04-01', 10, ZONE);
  const latencies: bigint[] = [];
  const start = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    const queued = await sweeper.sweep(at);
    latencies.push(process.hrtime.bigint() - t0);
    if (queued !== DUE) throw new Error(`queued ${queued}, expected ${DUE}`);
    // Put the same 100 back, for the next round.
    await exec(db, `DELETE FROM outbox`);
    await exec(db, `UPDATE reminder SET status = 'pending' WHERE send_on = '2026-04-01'`);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await new Promise((r) => db.close(r));
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return summarize(latencies, seconds);
}

if (require.main === module) {
  runPhaseFromArgv({ open0: () => phase(0), open1k: () => phase(1_000), open10k: () => phase(10_000), open100k: () => phase(100_000) });
}
