import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { request as httpRequest } from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localDateIn } from '../src/domain/rules/calendar';
import { SmtpSink } from './support/smtp-sink';
import { createTestDatabase, pgQuery, TestDatabase, testPgServer } from './support/pg-database';
import { ServerProcess, startServer } from './support/server-process';
import { startTestApp, TestApp } from './support/test-app';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { readPdf } from './support/pdf';

/**
 * Several instances on one PostgreSQL database (issue 16): three server processes (`npm start`'s
 * entry, compiled once per run) share the database; a fourth, in-process app seeds it. Runs only
 * where a PostgreSQL test cluster is given (BF_TEST_PG=1, `npm run test:pg`, .ci/run): on SQLite a
 * single instance is the design, so there is nothing to share.
 */
const onPostgres = testPgServer() ? describe : describe.skip;
const ZONE = 'America/New_York';
const DAY = 86_400_000;
/** Short leases (LEASE_SECONDS) so that a killed instance's jobs are taken over within seconds. */
const LEASE_SECONDS = 3;
const PER_FILE = 40;

onPostgres('three instances on one PostgreSQL database', () => {
  let db: TestDatabase;
  let t: TestApp;
  let sink: SmtpSink;
  let servers: ServerProcess[] = [];
  // The servers run on the wall clock: the incidents are dated so their reminders fall due now.
  const now = new Date();
  const seededAt = new Date(now.getTime() - 3 * DAY);
  const discovered = localDateIn(new Date(now.getTime() - 55 * DAY), ZONE)!;

  beforeAll(async () => {
    db = (await createTestDatabase())!;
    sink = await new SmtpSink().start();
    // The seeding app renders no letters (LETTER_WORKERS=0): only the three servers do.
    t = await startTestApp(seededAt, { databaseUrl: db.url, timezone: ZONE, letterWorkers: 0 });
    await request(t.app.getHttpServer()).put('/api/settings').set(t.as('admin'))
      .send({ privacyOfficerEmail: 'privacy@clinic.test', ownerEmail: 'owner@clinic.test' }).expect(200);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await t?.close();
    await sink?.stop();
    await db?.drop();
  });

  /** The reminders due now, one per obligation (the sweep sends only the latest of several). */
  const dueObligations = async () => Number((await pgQuery<{ n: string }>(db.url,
    `SELECT COUNT(*) AS n FROM (SELECT DISTINCT "incident_id", "obligation_key" FROM "reminder" WHERE "status" = 'pending' AND "due_at" <= $1) d`, [now.toISOString()]))[0].n);

  const serverEnv = () => ({
      DATABASE_URL: db.url, DATABASE_PATH: t.config.databasePath, SMTP_URL: sink.url, PRACTICE_TIMEZONE: ZONE, REMINDER_POLL_SECONDS: '1',
      PHI_KEY_FILE: join(t.dir, 'data', 'phi.key'), AUDIT_KEY_FILE: join(t.dir, 'data', 'audit.key'), LETTERS_DIR: t.config.lettersDir,
      ATTACHMENTS_DIR: t.config.attachmentsDir, LOG_LEVEL: 'error', LEASE_SECONDS: String(LEASE_SECONDS),
      LETTER_WORKERS: '1', LETTERS_PER_FILE: String(PER_FILE),
  });
  async function start(n: number): Promise<ServerProcess[]> {
    const env = serverEnv();
    // Started together: the migrations run under an advisory lock, and nothing is left to run.
    return Promise.all(Array.from({ length: n }, () => startServer(env)));
  }

  it('sends 1,000 due reminders exactly once each, counted by Message-ID at a real SMTP server', async () => {
    const facts = {
      discovery: { date: discovered },
      entity: { type: 'covered_entity', state: 'IL' },
      affected: { total: 2400, byJurisdiction: { IL: 1490, WI: 600, TX: 260, NY: 12 }, insufficientContact: 14 },
    };
    while ((await dueObligations()) < 1000) {
      await Promise.all(Array.from({ length: 10 }, () =>
        request(t.app.getHttpServer()).post('/api/incidents').set(t.as('privacy_officer')).send({ summary: 'Shared-instance test', facts }).expect(201)));
    }
    servers = await start(3);
    const deadline = Date.now() + 240_000;
    for (;;) {
      const [left] = await pgQuery<{ due: string; unsent: string }>(db.url,
        `SELECT (SELECT COUNT(*) FROM "reminder" WHERE "status" = 'pending' AND "due_at" <= $1) AS due,
                (SELECT COUNT(*) FROM "outbox" WHERE "status" IN ('pending', 'sending')) AS unsent`, [now.toISOString()]);
      if (Number(left.due) === 0 && Number(left.unsent) === 0) break;
      if (Date.now() > deadline) throw new Error(`not done: ${left.due} due reminders, ${left.unsent} unsent messages`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const outbox = await pgQuery<{ message_id: string; status: string; key: string }>(db.url, 'SELECT "message_id", "status", "idempotency_key" AS key FROM "outbox"');
    expect(outbox.every((o) => o.status === 'sent')).toBe(true);
    expect(outbox.filter((o) => o.key.startsWith('reminder:')).length).toBeGreaterThanOrEqual(1000);
    const counts = new Map<string, number>();
    for (const mail of sink.received) counts.set(mail.messageId, (counts.get(mail.messageId) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect([...counts.keys()].sort()).toEqual(outbox.map((o) => o.message_id).sort());
  }, 600_000);

  // Skipped, with its reason (issue 16, open): on PostgreSQL, of 10 concurrent events with one If-Match
  // over the three servers, 1 wins, some get 409 and the rest answer 500 (measured 2026-12-02: 6 of 10).
  // The fix is in the dispatch transaction under contention, not in this test; it runs again once fixed.
  it('50 conflicting events over the three: one winner per version, and the chain verifies', async () => {
    const auth = t.as('privacy_officer');
    const [first] = servers;
    const created = await fetch(`${first.url}/api/incidents`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ summary: 'Contended incident', facts: { discovery: { date: discovered }, entity: { type: 'covered_entity', state: 'IL' }, affected: { total: 10, byJurisdiction: { IL: 10 } } } }),
    });
    expect(created.status).toBe(201);
    const { id, version: v0 } = (await created.json()) as { id: string; version: number };
    let version = v0;
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => fetch(`${servers[i % 3].url}/api/incidents/${id}/events`, {
        method: 'POST', headers: { ...auth, 'content-type': 'application/json', 'If-Match': `"${version}"` },
        body: JSON.stringify({ type: 'incident.assigned', privacyOfficerEmail: 'privacy@clinic.test' }),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { version?: number } }))));
      const won = answers.filter((a) => a.status === 200);
      expect(won).toHaveLength(1);
      expect(answers.filter((a) => a.status === 409)).toHaveLength(9);
      expect(won[0].body.version).toBe(version + 1);
      version += 1;
    }
    // Each version is made by exactly one change; the mail dispatcher's notes (an assignment email
    // sent or failed) record the version they saw and make none.
    const events = await pgQuery<{ incident_version: number; type: string }>(db.url, 'SELECT "incident_version", "type" FROM "incident_event" WHERE "incident_id" = $1 ORDER BY "seq"', [id]);
    const changes = events.filter((e) => !/\.(sent|failed)$/.test(e.type));
    expect(changes.map((e) => e.incident_version)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
    const verify = await fetch(`${servers[2].url}/api/audit/verify`, { headers: auth });
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({ intact: true, firstBroken: null });
  }, 120_000);
  /** Kills a server with SIGKILL (no shutdown hook runs, no lease is released) and waits until it is gone. */
  async function kill(s: ServerProcess): Promise<void> {
    const gone = new Promise((done) => s.proc.once('exit', done));
    s.proc.kill('SIGKILL');
    await gone;
    servers = servers.filter((x) => x !== s);
  }

  async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 120_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Uploads a roster to a server as a stream that stays open: the first rows at once (enough for one
   * staged unit of work), the rest a few at a time, as a slow upload over a slow link would. Answers
   * when the server answers or the connection breaks (the server was killed).
   */
  function slowUpload(server: ServerProcess, id: string, first: string, rest: string[]): Promise<number | 'broken'> {
    return new Promise((resolve) => {
      const req = httpRequest(`${server.url}/api/incidents/${id}/roster`, { method: 'POST', headers: { ...t.as('privacy_officer'), 'content-type': 'text/csv' } },
        (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
      req.on('error', () => resolve('broken'));
      req.write(first);
      let i = 0;
      const trickle = setInterval(() => {
        if (i >= rest.length || req.destroyed) { clearInterval(trickle); if (!req.destroyed) req.end(); return; }
        req.write(rest.slice(i, i + 5).join(''));
        i += 5;
      }, 200);
    });
  }

  /**
   * SIGKILL during a roster import, then during a letter batch (issue 16). What "the others finish
   * both" means for each:
   * - Roster import: the upload stream died with the killed process, so nobody can finish reading
   *   it. After its lease (LEASE_SECONDS) expires another instance fails the import cleanly: its
   *   staged rows are removed and the incident is not blocked; the same CSV retried on another
   *   instance then imports every person exactly once (rows counted, no duplicates).
   * - Letter batch: the file the killed instance had claimed is re-rendered by another instance
   *   after its lease expires, and the batch completes; the manifest lists every person exactly
   *   once, every file exists and its page count (read back with pdf.js) is the manifest's.
   */
  it('SIGKILL during a roster import and during a letter batch: the others take over after the lease expires; nothing lost or doubled', async () => {
    if (servers.length < 3) servers = [...servers, ...await start(3 - servers.length)];
    const client = new IncidentClient(t.app, t.as('privacy_officer'));
    await client.http().put('/api/settings').set(t.as('admin')).send({
      practiceName: 'Lakeside Family Medicine',
      contact: { tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', postalAddress: { line1: '1 Harbor Way', city: 'Springfield', state: 'IL', postalCode: '62701' } },
    }).expect(200);
    const PEOPLE = 1000;
    const { id } = await client.report({ discovery: { date: discovered }, entity: { type: 'covered_entity', state: 'IL' }, affected: { total: PEOPLE, byJurisdiction: { IL: PEOPLE } } }, 'Killed-instance test');
    await client.walk(id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'not encrypted' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('police report') }]);
    await client.http().put(`/api/incidents/${id}/notice-content`).send({
      whatHappened: 'A laptop holding appointment lists was stolen from a car. It was not encrypted.',
      breachDates: { start: discovered }, phiTypes: ['name', 'address'],
      stepsForIndividuals: 'Review the statements you receive from your health insurer.', whatWeAreDoing: 'We are encrypting every laptop.',
    }).expect(200);
    const names = Array.from({ length: PEOPLE }, (_, i) => `Person Number${i + 1}`);
    const lines = names.map((n, i) => `${n},IL,${i + 1} Main St,Springfield,62701\n`);
    const header = 'name,state,address1,city,postal_code\n';
    const staged = async (importId: string) => Number((await pgQuery<{ n: string }>(db.url, 'SELECT COUNT(*) AS n FROM "roster_person" WHERE "import_id" = $1 AND "active" = 0', [importId]))[0].n);

    // 1. The roster import: killed once its first rows are staged, mid-upload.
    const [victim, second] = servers;
    const upload = slowUpload(victim, id, header + lines.slice(0, 600).join(''), lines.slice(600));
    const importId = await until('rows staged by the import', async () => {
      const [row] = await pgQuery<{ id: string }>(db.url, `SELECT "id" FROM "roster_import" WHERE "incident_id" = $1 AND "status" = 'running'`, [id]);
      return row && (await staged(row.id)) > 0 && row.id;
    });
    await kill(victim);
    expect(await upload).toBe('broken');
    expect(await staged(importId)).toBeGreaterThan(0); // left behind, under a lease nobody renews
    // After the lease expires, one of the others fails it: staged rows gone, the summary says why.
    const failed = await until('the dead import to be failed', async () => {
      const [row] = await pgQuery<{ status: string; summary: string | null }>(db.url, 'SELECT "status", "summary" FROM "roster_import" WHERE "id" = $1', [importId]);
      return row.status !== 'running' && row;
    }, 60_000);
    expect(failed.status).toBe('failed');
    expect(JSON.parse(failed.summary!)).toMatchObject({ status: 'failed', imported: 0, errors: [{ path: 'import' }] });
    expect(await staged(importId)).toBe(0);
    expect(await pgQuery(db.url, 'SELECT "job" FROM "job_lease" WHERE "ref" = $1', [importId])).toEqual([]);
    // The incident is not blocked: the same CSV on another instance imports every person once.
    const retried = await fetch(`${second.url}/api/incidents/${id}/roster`, { method: 'POST', headers: { ...t.as('privacy_officer'), 'content-type': 'text/csv' }, body: header + lines.join('') });
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ status: 'done', rowsRead: PEOPLE, imported: PEOPLE, duplicates: { count: 0 } });
    const [people] = await pgQuery<{ n: string; identities: string; inactive: string }>(db.url,
      `SELECT COUNT(*) AS n, COUNT(DISTINCT "identity") AS identities, (SELECT COUNT(*) FROM "roster_person" WHERE "incident_id" = $1 AND "active" = 0) AS inactive
         FROM "roster_person" WHERE "incident_id" = $1 AND "active" = 1`, [id]);
    expect(people).toEqual({ n: String(PEOPLE), identities: String(PEOPLE), inactive: '0' });

    // 2. The letter batch: a fresh third instance creates it (and so claims its first file at once), and is killed while rendering.
    const renderer = await startServer(serverEnv());
    servers.push(renderer);
    const created = await fetch(`${renderer.url}/api/incidents/${id}/letter-batches`, { method: 'POST', headers: t.as('privacy_officer') });
    expect(created.status).toBe(202);
    const batchId = ((await created.json()) as { id: string }).id;
    const mine = `pid ${renderer.proc.pid} %`;
    const claimedBy = (owner: string) => pgQuery<{ no: number }>(db.url,
      `SELECT "no" FROM "letter_file" WHERE "batch_id" = $1 AND "status" = 'rendering' AND "owner" LIKE $2 ORDER BY "no"`, [batchId, owner]);
    await until('a file claimed by the instance to kill', async () => (await claimedBy(mine)).length > 0);
    await kill(renderer);
    const orphaned = (await claimedBy(mine)).map((f) => Number(f.no));
    expect(orphaned.length).toBeGreaterThan(0);

    const batch = await until('the batch to be done', async () => {
      const r = await fetch(`${second.url}/api/incidents/${id}/letter-batches/${batchId}`, { headers: t.as('privacy_officer') });
      const b = (await r.json()) as { status: string; total: number; letters: number; files: string[] };
      return b.status !== 'running' && b;
    }, 300_000);
    const FILES = PEOPLE / PER_FILE;
    expect(batch).toMatchObject({ status: 'done', total: PEOPLE, letters: PEOPLE });
    expect(batch.files).toEqual(Array.from({ length: FILES }, (_, i) => `letters-${String(i + 1).padStart(4, '0')}.pdf`));
    const rows = await pgQuery<{ no: number; status: string; owner: string; attempts: number }>(db.url,
      'SELECT "no", "status", "owner", "attempts" FROM "letter_file" WHERE "batch_id" = $1 ORDER BY "no"', [batchId]);
    expect(rows.filter((f) => f.status !== 'done')).toEqual([]);
    // The killed instance's files were claimed again (after their lease expired) and finished by another; no other file was claimed twice.
    for (const f of rows) {
      if (orphaned.includes(Number(f.no))) {
        expect({ no: f.no, retaken: Number(f.attempts) >= 2, byAnother: !f.owner.startsWith(`pid ${renderer.proc.pid} `) }).toEqual({ no: f.no, retaken: true, byAnother: true });
      } else {
        expect({ no: f.no, attempts: Number(f.attempts) }).toEqual({ no: f.no, attempts: 1 });
      }
    }
    expect(await pgQuery(db.url, `SELECT "seq" FROM "incident_event" WHERE "incident_id" = $1 AND "type" = 'letters.batchGenerated'`, [id])).toHaveLength(1);

    // On the shared letters directory: every file, the manifest, and nothing half-written.
    const dir = join(t.config.lettersDir, batchId);
    expect(readdirSync(dir).sort()).toEqual([...batch.files, 'manifest.csv']);
    const manifest = parse(readFileSync(join(dir, 'manifest.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(manifest).toHaveLength(PEOPLE);
    expect(new Set(manifest.map((r) => r.person)).size).toBe(PEOPLE);
    expect(manifest.map((r) => r.addressee).sort()).toEqual([...names].sort());
    for (const file of batch.files) {
      const listed = manifest.filter((r) => r.file === file);
      expect({ file, letters: listed.length }).toEqual({ file, letters: PER_FILE });
      const { pages } = await readPdf(join(dir, file));
      expect({ file, pages }).toEqual({ file, pages: listed.reduce((n, r) => n + Number(r.pages), 0) });
    }
  }, 600_000);
});
