import request from 'supertest';
import { join } from 'node:path';
import { localDateIn } from '../src/domain/rules/calendar';
import { SmtpSink } from './support/smtp-sink';
import { createTestDatabase, pgQuery, TestDatabase, testPgServer } from './support/pg-database';
import { ServerProcess, startServer } from './support/server-process';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Several instances on one PostgreSQL database (issue 16): three server processes (`npm start`'s
 * entry, compiled once per run) share the database; a fourth, in-process app seeds it. Runs only
 * where a PostgreSQL test cluster is given (BF_TEST_PG=1, `npm run test:pg`, .ci/run): on SQLite a
 * single instance is the design, so there is nothing to share.
 */
const onPostgres = testPgServer() ? describe : describe.skip;
const ZONE = 'America/New_York';
const DAY = 86_400_000;

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
    t = await startTestApp(seededAt, { databaseUrl: db.url, timezone: ZONE });
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

  async function start(n: number): Promise<ServerProcess[]> {
    const env = {
      DATABASE_URL: db.url, DATABASE_PATH: t.config.databasePath, SMTP_URL: sink.url, PRACTICE_TIMEZONE: ZONE, REMINDER_POLL_SECONDS: '1',
      PHI_KEY_FILE: join(t.dir, 'data', 'phi.key'), AUDIT_KEY_FILE: join(t.dir, 'data', 'audit.key'), LETTERS_DIR: t.config.lettersDir,
      ATTACHMENTS_DIR: t.config.attachmentsDir, LOG_LEVEL: 'error', LEASE_SECONDS: '3',
    };
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
});
