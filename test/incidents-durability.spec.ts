import { FACTS_NY } from './support/fixtures';
import { CONTAIN, IncidentClient } from './support/incident-client';
import { runCli } from './support/run-cli';
import { sqlCount as count, sqlExec as sql } from './support/sqlite';
import { startTestApp, TestApp } from './support/test-app';
import { createApp } from '../src/app';
import { shippedPack } from './factories/facts';

describe('durability of the incident engine', () => {
  let t: TestApp;
  let client: IncidentClient;
  beforeEach(async () => {
    t = await startTestApp(new Date('2026-03-03T14:00:00Z'));
    client = new IncidentClient(t.app, t.as('privacy_officer'));
  });
  afterEach(() => t.close());

  it('50 concurrent events naming the same version: exactly one succeeds per version, the rest get 409, nothing half-written', async () => {
    const inc = await client.report(FACTS_NY);
    await client.walk(inc.id, CONTAIN.slice(0, 2)); // now in containment, version 3
    const items = ['stop_exposure', 'preserve_evidence', 'reset_credentials', 'engage_forensics', 'call_insurer_hotline'];
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      client.send(inc.id, { type: 'containment.itemResolved', item: items[i % 5], status: 'done', note: `try ${i}` }, { 'If-Match': '"3"' })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error === 'stale_version')).toBe(true);

    // Without If-Match, conflicting decisions: the first accepted, the other refused for the state it left.
    const other = await client.report(FACTS_NY);
    const race = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      client.send(other.id, i % 2 ? { type: 'incident.accepted' } : { type: 'incident.dismissed', reason: 'not PHI' })));
    expect(race.filter((a) => a.status === 200)).toHaveLength(1);
    expect(race.filter((a) => a.status === 409)).toHaveLength(49);

    const db = t.config.databasePath;
    expect(await count(db, `SELECT COUNT(*) AS n FROM incident_event WHERE incident_id = '${inc.id}'`)).toBe(4);
    expect(await count(db, `SELECT version AS n FROM incident WHERE id = '${inc.id}'`)).toBe(4);
    expect(await count(db, `SELECT COUNT(*) AS n FROM incident_event WHERE incident_id = '${other.id}'`)).toBe(2);
    expect((await client.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true });
  });

  it('restarting the server loses nothing: the incident resumes in the state it was in', async () => {
    const inc = await client.report(FACTS_NY);
    await client.walk(inc.id, [...CONTAIN, { type: 'hold.placed', statement: 'oral', receivedOn: '2026-03-10', official: 'Det. K. Lund' }]);
    const before = (await client.http().get(`/api/incidents/${inc.id}`).expect(200)).body;
    await t.app.close();

    t.app = await createApp({ config: t.config, rulePack: shippedPack, clock: t.clock, logger: false });
    await t.app.init();
    client = new IncidentClient(t.app, t.as('privacy_officer'));
    const after = (await client.http().get(`/api/incidents/${inc.id}`).expect(200)).body;
    expect(after).toEqual(before);
    expect(after.state.value).toEqual({ active: { workflow: 'safeHarborCheck', hold: 'held', insurance: 'notNotified' } });
    const next = await client.walk(inc.id, [{ type: 'safeHarbor.assessed' }]);
    expect(next.state.phase).toBe('riskAssessment');
  });

  it('an edited row in the SQLite file is named by `breachflow audit verify` and by the API', async () => {
    const inc = await client.report(FACTS_NY);
    await client.walk(inc.id, CONTAIN);
    await client.walk((await client.report(FACTS_NY)).id, [{ type: 'triage.started' }]);
    const db = t.config.databasePath;
    const clean = runCli(['audit', 'verify'], { env: { DATABASE_PATH: db } });
    expect([clean.status, clean.stdout]).toEqual([0, 'audit trail intact: 11 events, 2 incidents, 8 access events\n']);

    // The triggers refuse edits; someone with the file can drop them, and the chain still tells.
    await expect(sql(db, `UPDATE incident_event SET actor = 'someone else' WHERE seq = 5`)).rejects.toThrow(/append-only/);
    await sql(db, `DROP TRIGGER incident_event_no_update; UPDATE incident_event SET payload = '{"item":"stop_exposure","status":"not_applicable","note":"n/a"}' WHERE seq = 5`);
    const broken = runCli(['audit', 'verify'], { env: { DATABASE_PATH: db } });
    expect(broken.status).toBe(3);
    expect(broken.stderr).toBe('audit trail BROKEN at event #5 (containment.itemResolved) of incident BF-2026-0001: its content does not match its keyed hash: the row was edited, or the chain recomputed without the audit key\n');
    const api = (await client.http().get('/api/audit/verify').expect(200)).body;
    expect(api).toMatchObject({ intact: false, firstBroken: { seq: 5, reference: 'BF-2026-0001', type: 'containment.itemResolved' } });
  });

  it('an edited incident state is caught against its last audited event', async () => {
    const inc = await client.report(FACTS_NY);
    await sql(t.config.databasePath, `UPDATE incident SET snapshot = replace(snapshot, '"total":1200', '"total":12') WHERE id = '${inc.id}'`);
    const api = (await client.http().get('/api/audit/verify').expect(200)).body;
    expect(api.firstBroken).toMatchObject({ seq: null, reference: 'BF-2026-0001', problem: expect.stringMatching(/stored state does not match/) });
  });
});
