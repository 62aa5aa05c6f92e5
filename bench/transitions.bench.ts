import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool, PoolClient } from 'pg';
import { Database } from 'sqlite3';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { loadConfig, loadRulePack } from '../src/config/config';
import { IncidentsService } from '../src/incidents/incidents.service';
import { UsersService } from '../src/auth/users.service';
import { PhaseResult, runPhaseFromArgv, summarize } from './harness';
import { Server, startServer, withPgDatabase } from './pg-bench';

/**
 * Transitions per second over HTTP with several concurrent clients, each driving its own incident
 * through re-plans (facts.updated: the heaviest common event), beside raw writes of the same rows
 * (the incident, its audit event and the chain's head, its obligations), one transaction each,
 * measured in the same run: on SQLite (one writer) and on PostgreSQL (1 and 3 server processes on
 * one database, the 8 clients spread over them, beside raw `pg` with 8 connections).
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

/** 8 clients, each driving its own incident; client i talks to port i mod n. */
async function drive(ports: number[], ids: string[], token: string): Promise<PhaseResult> {
  const latencies: bigint[] = [];
  const agents = ports.map(() => new Agent({ keepAlive: true, maxSockets: CLIENTS }));
  const start = process.hrtime.bigint();
  await Promise.all(ids.map(async (id, c) => {
    for (let i = 0; i < PER_CLIENT; i++) {
      const t0 = process.hrtime.bigint();
      const status = await post(agents[c % ports.length], ports[c % ports.length], `/api/incidents/${id}/events`, event(i), token);
      if (status !== 200) throw new Error(`HTTP ${status}`);
      latencies.push(process.hrtime.bigint() - t0);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  agents.forEach((a) => a.destroy());
  return summarize(latencies, seconds);
}

/** A privacy officer's API token and CLIENTS incidents, made through the app's services. */
async function prepare(nest: Awaited<ReturnType<typeof app>>['nest']): Promise<{ token: string; ids: string[] }> {
  const service = nest.get(IncidentsService);
  const users = nest.get(UsersService);
  const po = await users.create({ email: 'po@bench.test', name: 'Bench Officer', role: 'privacy_officer', password: 'bench password 123' });
  const { token } = await users.createToken(po.id, 'bench');
  const ids = await Promise.all(Array.from({ length: CLIENTS }, () => service.report(actor, { summary: 'bench', facts: FACTS }).then((v) => v.id)));
  return { token, ids };
}

async function http() {
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-'));
  const { nest } = await app(dir);
  await nest.listen(0, '127.0.0.1');
  const port = (nest.getHttpServer().address() as AddressInfo).port;
  const { token, ids } = await prepare(nest);
  const result = await drive([port], ids, token);
  await nest.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
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
    await run(db, 'UPDATE audit_chain_head SET seq = seq + 1 WHERE chain = ?', ['incident_event']);
    await run(db, `INSERT INTO incident_event (seq, incident_id, incident_version, type, payload, changes, from_phase, to_phase, actor, at, state_hash, prev_hash, hash)
      VALUES (?, ?, ?, 'facts.updated', ?, NULL, 'reported', 'reported', 'bench', ?, ?, ?, ?)`,
    [1000 + i, view.id, i + 10, JSON.stringify(event(i)), new Date(0).toISOString(), 'x'.repeat(64), 'y'.repeat(64), `${i}`.padStart(64, '0')]);
    await run(db, 'UPDATE audit_chain_head SET hash = ? WHERE chain = ?', [`${i}`.padStart(64, '0'), 'incident_event']);
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

/** The servers' environment: one database, and the keys the first instance wrote (every instance must share them). */
function pgEnv(dir: string, url: string): NodeJS.ProcessEnv {
  return { DATABASE_URL: url, DATABASE_PATH: join(dir, 'bench.sqlite'), REMINDER_POLL_SECONDS: '0', LETTER_WORKERS: '0', OUTBOX_DIR: join(dir, 'outbox'), LETTERS_DIR: join(dir, 'letters'), ATTACHMENTS_DIR: join(dir, 'attachments') };
}

/** `n` server processes on one PostgreSQL database, driven by the same 8 clients. */
function pgHttp(n: number): () => Promise<PhaseResult> {
  return () => withPgDatabase(async (url) => {
    const dir = mkdtempSync(join(tmpdir(), 'bf-bench-pg-'));
    const env = pgEnv(dir, url);
    // Migrations, keys, the user and the incidents, through the app itself; then the servers.
    const nest = await createApp({ config: loadConfig({ ...process.env, ...env }), rulePack: pack, logger: false });
    await nest.init();
    const { token, ids } = await prepare(nest);
    await nest.close();
    const servers: Server[] = await Promise.all(Array.from({ length: n }, () => startServer(env)));
    try {
      return await drive(servers.map((s) => s.port), ids, token);
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

/** Raw `pg`: the rows one transition writes, by hand, one transaction each, 8 clients on 8 connections. */
function pgRaw(): Promise<PhaseResult> {
  return withPgDatabase(async (url) => {
    const dir = mkdtempSync(join(tmpdir(), 'bf-bench-pg-'));
    const nest = await createApp({ config: loadConfig({ ...process.env, ...pgEnv(dir, url) }), rulePack: pack, logger: false });
    await nest.init();
    const { ids } = await prepare(nest);
    const view = await nest.get(IncidentsService).dispatch(ids[0], actor, event(1));
    await nest.close();
    const snapshot = JSON.stringify({ machineVersion: 1, value: view.state.value, context: { ...view, facts: view.facts } });
    const pool = new Pool({ connectionString: url, max: CLIENTS });
    const q = (c: PoolClient, sql: string, params: unknown[] = []) => c.query(sql, params);
    const latencies: bigint[] = [];
    const start = process.hrtime.bigint();
    await Promise.all(ids.map(async (id, client) => {
      const c = await pool.connect();
      for (let i = 0; i < PER_CLIENT; i++) {
        const t0 = process.hrtime.bigint();
        const n = client * PER_CLIENT + i;
        await q(c, 'BEGIN');
        await q(c, 'UPDATE "incident" SET "snapshot" = $1, "version" = $2, "updated_at" = $3 WHERE "id" = $4', [snapshot, i + 10, new Date(0).toISOString(), id]);
        const head = await q(c, 'UPDATE "audit_chain_head" SET "seq" = "seq" + 1 WHERE "chain" = $1 RETURNING "seq"', ['incident_event']);
        await q(c, `INSERT INTO "incident_event" ("seq", "incident_id", "incident_version", "type", "payload", "changes", "from_phase", "to_phase", "actor", "at", "state_hash", "prev_hash", "hash")
          VALUES ($1, $2, $3, 'facts.updated', $4, NULL, 'reported', 'reported', 'bench', $5, $6, $7, $8)`,
        [head.rows[0].seq, id, i + 10, JSON.stringify(event(i)), new Date(0).toISOString(), 'x'.repeat(64), 'y'.repeat(64), `${n}`.padStart(64, '0')]);
        await q(c, 'UPDATE "audit_chain_head" SET "hash" = $1 WHERE "chain" = $2', [`${n}`.padStart(64, '0'), 'incident_event']);
        for (const o of view.obligations) {
          await q(c, 'UPDATE "obligation" SET "due_on" = $1, "why" = $2, "updated_at" = $3 WHERE "incident_id" = $4 AND "key" = $5', [o.dueOn, o.why, String(i), id, o.key]);
        }
        await q(c, 'COMMIT');
        latencies.push(process.hrtime.bigint() - t0);
      }
      c.release();
    }));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await pool.end();
    rmSync(dir, { recursive: true, force: true });
    return summarize(latencies, seconds);
  });
}

if (require.main === module) runPhaseFromArgv({ http, raw, pgRaw, pg1: pgHttp(1), pg3: pgHttp(3) });
