import { rmSync } from 'node:fs';
import request from 'supertest';
import { CONTAINMENT_ITEMS } from '../src/domain/lifecycle/incident.types';
import { IncidentClient } from './support/incident-client';
import { runCli } from './support/run-cli';
import { dbEnv, storedBytes, testDb } from './support/db';
import { startTestApp, TEST_USERS, TestApp } from './support/test-app';

/**
 * Issue 12 (low): free text a user types may hold PHI. It is sealed at rest (the database file and
 * its WAL hold none of it), readable through the app, and redactable (API: privacy officer or admin;
 * CLI) with a tombstone, the chain verifying before and after, the redaction itself an event.
 */
const SUMMARY = 'Laptop with Ermentrude Vasquez-Pollock chart stolen';
const NOTE = 'Called Thaddeus Brightwater about his HIV results';
const REASON = 'Duplicate of the Obadiah Fenwick letter';

/** SQLite: the file and its WAL; PostgreSQL: a pg_dump of every row (test/support/db.ts). */
function stored(t: TestApp): string {
  return storedBytes(t.config).map((b) => b.toString('latin1')).join('\n');
}

describe('free text sealed at rest, and redacted with the chain intact', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    id = (await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 3, byJurisdiction: { OH: 3 } } }, SUMMARY)).id;
    await po.walk(id, [{ type: 'triage.started' }, { type: 'incident.accepted', note: NOTE }]);
    await po.send(id, { type: 'containment.itemResolved', item: CONTAINMENT_ITEMS[0], status: 'not_applicable', note: REASON }, { 'Idempotency-Key': 'k-1' }).expect(200);
  }, 60_000);
  afterAll(async () => {
    await t.app.close().catch(() => undefined);
    rmSync(t.dir, { recursive: true, force: true });
  });

  it('the database file and its WAL hold none of the typed phrases; the app shows them', async () => {
    const raw = stored(t);
    expect(raw).toContain(id); // the search sees the rows themselves
    for (const phrase of [SUMMARY, NOTE, REASON, 'Vasquez', 'Brightwater', 'Fenwick']) expect(raw).not.toContain(phrase);
    expect(raw).toContain('sealed:v1:');
    const incident = (await po.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(incident.summary).toBe(SUMMARY);
    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { seq: number; type: string; payload: Record<string, unknown> }[];
    expect(events.find((e) => e.type === 'incident.accepted')!.payload.note).toBe(NOTE);
    expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true });
    // A replayed idempotent answer comes back readable though it is stored sealed.
    const replay = await po.send(id, { type: 'containment.itemResolved', item: CONTAINMENT_ITEMS[0], status: 'not_applicable', note: REASON }, { 'Idempotency-Key': 'k-1' }).expect(200);
    expect(replay.body.summary).toBe(SUMMARY);
  });

  it('a change keeps the sealed form of the text it keeps', async () => {
    const sealedSummary = async () => {
      const [row] = await testDb(t.config).all<{ snapshot: string }>('SELECT "snapshot" FROM "incident" WHERE "id" = $1', [id]);
      return (JSON.parse(row.snapshot) as { context: { summary: string } }).context.summary;
    };
    const before = await sealedSummary();
    expect(before).toMatch(/^sealed:v1:/);
    await po.send(id, { type: 'facts.updated', reason: 'count revised', changes: { affected: { total: 4, byJurisdiction: { OH: 4 } } } }).expect(200);
    // The same salt and commitment: the state's hash moves only with what changed.
    expect(await sealedSummary()).toBe(before);
    expect((await po.http().get(`/api/incidents/${id}`).expect(200)).body.summary).toBe(SUMMARY);
    expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true });
  });

  it('redaction by API: privacy officer or admin only, a tombstone naming who, when and why, the chain still intact', async () => {
    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { seq: number; type: string }[];
    const reported = events.find((e) => e.type === 'incident.reported')!.seq;
    const body = { seq: reported, field: 'summary', why: 'phi_typed_in_error' };
    await po.http().post(`/api/incidents/${id}/redactions`).set(t.as('owner')).send(body).expect(403);
    await po.http().post(`/api/incidents/${id}/redactions`).set(t.as('auditor')).send(body).expect(403);
    const bad = await po.http().post(`/api/incidents/${id}/redactions`).send({ ...body, why: 'because' }).expect(422);
    expect(bad.body.errors[0].path).toBe('why');
    await po.http().post(`/api/incidents/${id}/redactions`).send({ ...body, field: 'facts' }).expect(422);
    await po.http().post(`/api/incidents/${id}/redactions`).send({ ...body, seq: 999 }).expect(404);

    const done = (await po.http().post(`/api/incidents/${id}/redactions`).set(t.as('admin')).send(body).expect(200)).body;
    expect(done).toMatchObject({ seq: reported, field: 'summary', why: 'phi_typed_in_error' });
    expect(done.replaced).toBeGreaterThanOrEqual(3); // the event, the incident's state, the stored response
    await po.http().post(`/api/incidents/${id}/redactions`).send(body).expect(409);

    const incident = (await po.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(incident.summary).toBe(`[redacted on 2026-03-10 by ${TEST_USERS.admin.name} <${TEST_USERS.admin.email}>: patient information typed in error]`);
    const after = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { seq: number; type: string; actor: string; payload: Record<string, unknown> }[];
    expect(after.at(-1)).toMatchObject({ type: 'text.redacted', actor: `${TEST_USERS.admin.name} <${TEST_USERS.admin.email}>`, payload: { seq: reported, field: 'summary', why: 'phi_typed_in_error' } });
    expect(JSON.stringify(after)).not.toContain('Vasquez');
    expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true });
    // The incident still takes events after it (its state was saved one version on).
    await po.send(id, { type: 'containment.itemResolved', item: CONTAINMENT_ITEMS[1], status: 'done' }).expect(200);
    expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true });
  });

  it('the dossier still exports after a redaction', async () => {
    await request(t.app.getHttpServer()).get(`/api/incidents/${id}/dossier`).set(t.as('auditor')).expect(200);
    expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true });
  });

  it('redaction by the command line, then `audit verify` passes; nothing of the text is left in the file', async () => {
    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { seq: number; type: string }[];
    const accepted = events.find((e) => e.type === 'incident.accepted')!.seq;
    await t.app.close();
    const env = dbEnv(t.config);
    const run = runCli(['audit', 'redact', id, '--seq', String(accepted), '--field', 'note', '--why', 'individual_request', '--actor', 'Pat'], { env });
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ status: 0, stdout: expect.stringContaining(`redacted note of event #${accepted}`) });
    expect(runCli(['audit', 'redact', id, '--seq', String(accepted), '--field', 'note', '--why', 'nonsense'], { env }).status).toBe(2);
    expect(runCli(['audit', 'verify'], { env })).toMatchObject({ status: 0, stdout: expect.stringContaining('audit trail intact') });
    const rows = await testDb(t.config).all<{ type: string; actor: string }>('SELECT "type", "actor" FROM "incident_event" ORDER BY "seq" DESC LIMIT 1');
    expect(rows[0]).toEqual({ type: 'text.redacted', actor: 'Pat (command line)' });
    const raw = stored(t);
    expect(raw).toContain(id); // the search sees the rows themselves
    for (const phrase of [SUMMARY, NOTE, REASON, 'Vasquez', 'Brightwater', 'Fenwick']) expect(raw).not.toContain(phrase);
  }, 60_000);
});
