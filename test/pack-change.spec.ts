import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app';
import { ROLES } from '../src/auth/actor';
import { UsersService } from '../src/auth/users.service';
import { FixedClock } from '../src/clock/clock';
import { AppConfig, loadConfig } from '../src/config/config';
import { RulePack } from '../src/domain/rules/rule-pack';
import { shippedPack } from './factories/facts';
import { TEST_PASSWORD, TEST_USERS } from './support/test-app';

/**
 * A rule pack change on an open incident: the server started with an older pack (no New Jersey,
 * no Massachusetts credit-monitoring offer) reported the incident; after an upgrade to 2026.12.1
 * the diff shows what re-planning would change, nothing moves until the privacy officer accepts,
 * and accepting re-plans through the audited event path.
 */
describe('re-plan with pack 2026.12.1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'breachflow-pack-'));
  const config: AppConfig = { ...loadConfig({}), port: 0, databasePath: join(dir, 'data', 'breachflow.sqlite'), outboxDir: join(dir, 'outbox'), lettersDir: join(dir, 'letters'), templatesOverrideDir: join(dir, 'templates'), reminderPollSeconds: 0 };
  const clock = new FixedClock(new Date('2026-03-10T15:00:00Z'));
  const older: RulePack = JSON.parse(JSON.stringify(shippedPack));
  older.version = '2026.11.0';
  delete older.states.NJ;
  const ma = older.states.MA;
  if (ma && !('noStatute' in ma)) ma.creditMonitoring = null;
  let app: INestApplication;
  let id = '';
  const tokens: Record<string, string> = {};
  const as = (role: 'privacy_officer' | 'auditor') => ({ Authorization: `Bearer ${tokens[role]}` });

  beforeAll(async () => {
    app = await createApp({ config, rulePack: older, clock, logger: false });
    await app.init();
    for (const role of ROLES) {
      const user = await app.get(UsersService).create({ ...TEST_USERS[role], role, password: TEST_PASSWORD });
      tokens[role] = (await app.get(UsersService).createToken(user.id, 'tests')).token;
    }
    const res = await request(app.getHttpServer()).post('/api/incidents').set(as('privacy_officer')).send({
      summary: 'Billing export e-mailed to the wrong address',
      facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'MA' }, dataElements: ['name', 'ssn'], affected: { total: 50, byJurisdiction: { MA: 20, NJ: 30 } } },
    }).expect(201);
    id = res.body.id;
    expect(res.body.plan.rulePackVersion).toBe('2026.11.0');
    await app.close();
    app = await createApp({ config, rulePack: shippedPack, clock, logger: false });
    await app.init();
  }, 60_000);

  afterAll(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows what would change, and changes nothing', async () => {
    const res = await request(app.getHttpServer()).get(`/api/incidents/${id}/pack-change`).set(as('auditor')).expect(200);
    expect(res.body).toMatchObject({ incidentId: id, from: '2026.11.0', to: '2026.12.1', pending: true, withdrawn: [], moved: [] });
    expect(res.body.added.map((o: { key: string; dueOn: string }) => [o.key, o.dueOn])).toEqual([
      ['US-MA/individuals/credit-monitoring', '2026-05-01'], // with the notice to residents, 03-02 + 60
      ['US-NJ/regulator/state-police', '2026-04-30'], // before the residents
    ]);
    const listed = await request(app.getHttpServer()).get('/api/pack-changes').set(as('auditor')).expect(200);
    expect(listed.body.map((c: { incidentId: string }) => c.incidentId)).toEqual([id]);
    const incident = await request(app.getHttpServer()).get(`/api/incidents/${id}`).set(as('auditor')).expect(200);
    expect(incident.body.plan.rulePackVersion).toBe('2026.11.0');
    expect(incident.body.obligations.map((o: { key: string }) => o.key)).not.toContain('US-NJ/regulator/state-police');
  });

  it('accepting needs the version named, and only the privacy officer may', async () => {
    await request(app.getHttpServer()).post(`/api/incidents/${id}/pack-change`).set(as('auditor')).send({ rulePackVersion: '2026.12.1' }).expect(403);
    const wrong = await request(app.getHttpServer()).post(`/api/incidents/${id}/pack-change`).set(as('privacy_officer')).send({ rulePackVersion: '2026.11.5' }).expect(422);
    expect(wrong.body.errors).toEqual([{ path: 'rulePackVersion', message: 'must name the pack this server runs (2026.12.1) to accept it' }]);
  });

  it('until accepted, an event that would re-plan is refused with the reason (409), and nothing moves', async () => {
    const refused = await request(app.getHttpServer()).post(`/api/incidents/${id}/events`).set(as('privacy_officer'))
      .send({ type: 'facts.updated', changes: { affected: { total: 60, byJurisdiction: { MA: 20, NJ: 40 } } }, reason: 'recount' }).expect(409);
    expect(refused.body.errors).toEqual([{
      path: 'rulePackVersion',
      message: expect.stringMatching(/^This incident was planned with rule pack 2026\.11\.0; the server now runs 2026\.12\.1\. Review what changes and accept it first: GET\/POST \/api\/incidents\/BF-\d{4}-\d{4}\/pack-change$/),
    }]);
    expect(refused.body.acceptedEvents).toContain('plan.packAccepted');
    const incident = await request(app.getHttpServer()).get(`/api/incidents/${id}`).set(as('auditor')).expect(200);
    expect(incident.body.facts.affected.total).toBe(50);
    expect(incident.body.plan.rulePackVersion).toBe('2026.11.0');
  });

  it('accepted: the plan follows the new pack, the audit trail says who accepted what, and nothing is pending after', async () => {
    const res = await request(app.getHttpServer()).post(`/api/incidents/${id}/pack-change`).set(as('privacy_officer')).send({ rulePackVersion: '2026.12.1' }).expect(200);
    expect(res.body.plan.rulePackVersion).toBe('2026.12.1');
    expect(res.body.obligations.map((o: { key: string }) => o.key)).toEqual(expect.arrayContaining(['US-NJ/regulator/state-police', 'US-MA/individuals/credit-monitoring']));
    const events = await request(app.getHttpServer()).get(`/api/incidents/${id}/events`).set(as('auditor')).expect(200);
    const last = events.body[events.body.length - 1];
    expect(last).toMatchObject({ type: 'plan.packAccepted', actor: expect.any(String) });
    expect(JSON.stringify(last)).toContain('"rulePackVersion":"2026.12.1"');
    expect(JSON.stringify(last)).toContain(TEST_USERS.privacy_officer.email);
    expect(JSON.stringify(last)).toMatch(/Re-plan with rule pack 2026\.12\.1 \(was 2026\.11\.0\), accepted: 2 added, 0 withdrawn, 0 moved/);
    const after = await request(app.getHttpServer()).get(`/api/incidents/${id}/pack-change`).set(as('auditor')).expect(200);
    expect(after.body).toMatchObject({ pending: false, added: [], withdrawn: [], moved: [] });
    await request(app.getHttpServer()).post(`/api/incidents/${id}/pack-change`).set(as('privacy_officer')).send({ rulePackVersion: '2026.12.1' }).expect(409);
    const updated = await request(app.getHttpServer()).post(`/api/incidents/${id}/events`).set(as('privacy_officer'))
      .send({ type: 'facts.updated', changes: { affected: { total: 60, byJurisdiction: { MA: 20, NJ: 40 } } }, reason: 'recount' }).expect(200);
    expect(updated.body.facts.affected.total).toBe(60);
    expect(updated.body.acceptedEvents).not.toContain('plan.packAccepted');
  });
});
