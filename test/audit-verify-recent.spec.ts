import request from 'supertest';
import { AuditEventRepository } from '../src/audit/audit-event.repository';
import { FULL_VERIFY_MINUTES } from '../src/audit/audit.service';
import { CONTAIN, IncidentClient } from './support/incident-client';
import { sqlExec } from './support/sqlite';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * The audit pages check the chains on every view. They walk only what was added since this
 * process's last intact walk (linked to where it ended), and walk everything whole at least every
 * FULL_VERIFY_MINUTES: a view costs what was added, not years of trail. The API's verify and the
 * CLI always walk whole. SQLite: the test drops the append-only trigger to edit a row.
 */

const FACTS = { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 3, byJurisdiction: { NY: 3 } } };

describe('the audit pages verify what was added, and everything at least hourly', () => {
  let t: TestApp;
  let po: IncidentClient;
  let cookie: string;
  // An auditor's session (again after the clock moves past its idle time).
  const logIn = async () => {
    const login = await request(t.app.getHttpServer()).post('/login').type('form').send({ email: TEST_USERS.auditor.email, password: TEST_PASSWORD }).expect(303);
    cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
  };
  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    await logIn();
  });
  afterAll(() => t.close());
  const page = async (path: string) => (await request(t.app.getHttpServer()).get(path).set('Cookie', cookie).expect(200)).text;

  it('a view after an intact one reads only the events after it; an edit there shows at once, an older one at the next whole walk', async () => {
    const first = (await po.report(FACTS)).id;
    await po.walk(first, CONTAIN);
    expect(await page(`/incidents/${first}/audit`)).toContain('The chain verifies.');

    // The next view reads from where the last ended: no page of the chain from its start.
    const second = (await po.report(FACTS)).id;
    const read = jest.spyOn(AuditEventRepository.prototype, 'after');
    try {
      expect(await page(`/incidents/${second}/audit`)).toContain('The chain verifies.');
      expect(read.mock.calls.length).toBeGreaterThan(0);
      expect(read.mock.calls.every(([, after]) => after > 0)).toBe(true);
    } finally {
      read.mockRestore();
    }

    // An old event edited (someone with the file): the pages find it at their next whole walk, at
    // most FULL_VERIFY_MINUTES on (the trade-off), ...
    await sqlExec(t.config.databasePath, `DROP TRIGGER incident_event_no_update; UPDATE incident_event SET actor = 'someone else' WHERE seq = 2`);
    await po.http().post(`/api/incidents/${second}/events`).send({ type: 'triage.started' }).expect(200);
    expect(await page(`/incidents/${first}/audit`)).toContain('The chain verifies.');
    t.clock.set(new Date(t.clock.now().getTime() + (FULL_VERIFY_MINUTES + 1) * 60_000));
    await logIn();
    expect(await page(`/incidents/${first}/audit`)).toContain('The chain is broken');
    expect(await page('/audit')).toContain('A chain is broken');
    // ... and the API, which always walks whole, at once.
    expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: false, firstBroken: { seq: 2 } });
    await sqlExec(t.config.databasePath, `UPDATE incident_event SET actor = (SELECT actor FROM incident_event WHERE seq = 1) WHERE seq = 2`);
  });

  it("an incident's own page checks its stored state against its last event, even with no event since", async () => {
    const id = (await po.report(FACTS)).id;
    expect(await page(`/incidents/${id}/audit`)).toContain('The chain verifies.');
    await sqlExec(t.config.databasePath, `UPDATE incident SET version = version + 1 WHERE id = '${id}'`);
    expect(await page(`/incidents/${id}/audit`)).toContain('The chain is broken: its stored state does not match its last audited event');
    await sqlExec(t.config.databasePath, `UPDATE incident SET version = version - 1 WHERE id = '${id}'`);
  });

  it('an event added since the last walk and then edited shows on the next view', async () => {
    const id = (await po.report(FACTS)).id;
    expect(await page(`/incidents/${id}/audit`)).toContain('The chain verifies.');
    await po.http().post(`/api/incidents/${id}/events`).send({ type: 'triage.started' }).expect(200);
    const [{ seq }] = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body.slice(-1) as { seq: number }[];
    await sqlExec(t.config.databasePath, `UPDATE incident_event SET actor = 'someone else' WHERE seq = ${seq}`);
    expect(await page(`/incidents/${id}/audit`)).toContain('The chain is broken');
  });
});
