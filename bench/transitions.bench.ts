import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from 'sqlite3';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { loadConfig, loadRulePack } from '../src/config/config';
import { IncidentsService } from '../src/incidents/incidents.service';
import { UsersService } from '../src/auth/users.service';
import { runPhaseFromArgv, summarize } from './harness';

/**
 * Transitions per second over HTTP with several concurrent clients, each driving its own incident
 * through re-plans (facts.updated: the heaviest common event), beside raw sqlite3 writes of the
 * same rows, one transaction each, measured in the same run.
 */

const CLIENTS = 8;
const PER_CLIENT = 250;
const pack = loadRulePack(join(__dirname, '..', 'config', 'state-rules.json'));
const FACTS = {
  discovery: { date: '2026-09-14' },
  entity: { type: 'covered_entity', state: 'IL' },
  affected: { total: 2400, byJurisdiction: { IL: 1490, WI: 600, TX: 260, NY: 12 }, insufficientContact: 14 },
};
const actor = { id: 'bench', via: 'system' as const };
const event = (i: number) => ({
  type: 'facts.updated',
  reason: `count revised ${i}`,
  changes: { affected: { total: 2400 + (i % 50), byJurisdiction: { IL: 1490 + (i % 50), WI: 600, TX: 260, NY: 12 }, insufficientContact: 14 } },
});

async function app(dir: string) {
  const config = { ...loadConfig({}), port: 0, databasePath: join(dir, 'bench.sqlite') };
  const nest = await createApp({ config, rulePack: pack, clock: new FixedClock(new Date('2026-09-15T12:00:00Z')), logger: false });
  return { nest, config };
}

function post(agent: Agent, port: number, path: string, body: unknown, token: string): Promise<number> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

async function http() {
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-'));
  const { nest } = await app(dir);
  await nest.listen(0, '127.0.0.1');
  const port = (nest.getHttpServer().address() as AddressInfo).port;
  const service = nest.get(IncidentsService);
  const users = nest.get(UsersService);
  const po = await users.create({ email: 'po@bench.test', name: 'Bench Officer', role: 'privacy_officer', password: 'bench password 123' });
  const { token } = await users.createToken(po.id, 'bench');
  const ids = await Promise.all(Array.from({ length: CLIENTS }, () => service.report(actor, { summary: 'bench', facts: FACTS }).then((v) => v.id)));
  const latencies: bigint[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: CLIENTS });
  const start = process.hrtime.bigint();
  await Promise.all(ids.map(async (id) => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const t0 = process.hrtime.bigint();
      const status = await post(agent, port, `/api/incidents/${id}/events`, event(i), token);
      if (status !== 200) throw new Error(`HTTP ${status}`);
      latencies.push(process.hrtime.bigint() - t0);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agent.destroy();
  await nest.close();
  rmSync(dir, { recursive: true, force: true });
  return summarize(latencies, seconds);
}

function run(db: Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (err) => (err ? reject(err) : resolve())));
}

/** The rows one transition writes (incident, one audit event, its obligations), by hand. */
async function raw() {
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-'));
  const { nest, config } = await app(dir);
  await nest.init();
  const view = await nest.get(IncidentsService).dispatch((await nest.get(IncidentsService).report(actor, { summary: 'bench', facts: FACTS })).id, actor, event(1));
  await nest.close();
  const copy = join(dir, 'raw.sqlite');
  copyFileSync(config.databasePath, copy);
  const db = new Database(copy);
  await run(db, 'PRAGMA journal_mode = WAL');
  const snapshot = JSON.stringify({ machineVersion: 1, value: view.state.value, context: { ...view, facts: view.facts } });
  const latencies: bigint[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < CLIENTS * PER_CLIENT; i++) {
    const t0 = process.hrtime.bigint();
    await run(db, 'BEGIN');
    await run(db, 'UPDATE incident SET snapshot = ?, version = ?, updated_at = ? WHERE id = ?', [snapshot, i + 10, new Date(0).toISOString(), view.id]);
    await run(db, `INSERT INTO incident_event (seq, incident_id, incident_version, type, payload, changes, from_phase, to_phase, actor, at, state_hash, prev_hash, hash)
      VALUES (?, ?, ?, 'facts.updated', ?, NULL, 'reported', 'reported', 'bench', ?, ?, ?, ?)`,
    [1000 + i, view.id, i + 10, JSON.stringify(event(i)), new Date(0).toISOString(), 'x'.repeat(64), 'y'.repeat(64), `${i}`.padStart(64, '0')]);
    for (const o of view.obligations) {
      await run(db, 'UPDATE obligation SET due_on = ?, why = ?, updated_at = ? WHERE incident_id = ? AND key = ?', [o.dueOn, o.why, String(i), view.id, o.key]);
    }
    await run(db, 'COMMIT');
    latencies.push(process.hrtime.bigint() - t0);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await new Promise((r) => db.close(r));
  rmSync(dir, { recursive: true, force: true });
  return summarize(latencies, seconds);
}

if (require.main === module) runPhaseFromArgv({ http, raw });
