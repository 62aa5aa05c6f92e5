import { FACTS_NY } from './support/fixtures';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { startTestApp, TestApp } from './support/test-app';

/** One incident at a time from intake to close over HTTP, on a real SQLite file. */

const FACTS = FACTS_NY;

describe('incidents over HTTP, intake to close', () => {
  let t: TestApp;
  let client: IncidentClient;
  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-03T14:00:00Z'));
    client = new IncidentClient(t.app, t.as('privacy_officer'));
  });
  afterAll(() => t.close());

  it('intake answers 201 with the state, the obligations with their why, and the events accepted next', async () => {
    const res = await client.http().post('/api/incidents').set(t.as('owner')).send({ summary: 'Laptop stolen', facts: FACTS }).expect(201);
    expect(res.headers.etag).toBe('"1"');
    expect(res.headers.location).toBe(`/api/incidents/${res.body.id}`);
    expect(res.body).toMatchObject({
      reference: 'BF-2026-0001',
      version: 1,
      state: { phase: 'reported', open: true },
      acceptedEvents: ['triage.started', 'incident.accepted', 'incident.dismissed', 'facts.updated', 'incident.assigned'],
    });
    expect(res.body.obligations.map((o: { key: string; dueOn: string; status: string }) => [o.key, o.dueOn, o.status])).toEqual([
      ['HIPAA/individuals', '2026-05-01', 'open'],
      ['HIPAA/substitute_notice', '2026-05-01', 'open'],
      ['HIPAA/media/NY', '2026-05-01', 'open'],
      ['HIPAA/hhs', '2026-05-01', 'open'],
      ['US-NY/regulator/state-agencies', '2026-05-01', 'open'],
      ['US-NY/regulator/hhs-copy', '2026-05-08', 'open'],
    ]);
    expect(res.body.obligations[2].why).toMatch(/More than 500 residents of New York/);
  });

  it('the safe-harbor path: encrypted, key safe, closed as not reportable', async () => {
    const inc = await client.report(FACTS);
    const done = await client.walk(inc.id, [
      ...CONTAIN,
      { type: 'safeHarbor.assessed', encryption: { applied: true, keyCompromised: false, standard: 'NIST SP 800-111' }, note: 'BitLocker with pre-boot PIN; laptop was off' },
      { type: 'incident.closed' },
    ]);
    expect(done.state.phase).toBe('closed');
    expect(done.closure).toMatchObject({ outcome: 'not_reportable' });
    expect(done.decision).toMatchObject({ outcome: 'safe_harbor' });
    expect(done.obligations).toEqual([]);
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
    expect(trail.map((e: { type: string }) => e.type)).toEqual([
      'incident.reported', 'triage.started', 'incident.accepted',
      ...Array(5).fill('containment.itemResolved'), 'containment.completed', 'safeHarbor.assessed', 'incident.closed',
    ]);
    expect(trail.find((e: { type: string }) => e.type === 'safeHarbor.assessed').changes).toMatchObject({
      withdrawn: expect.arrayContaining(['HIPAA/individuals', 'HIPAA/hhs']),
      determination: { from: 'breach', to: 'safe_harbor' },
    });
    expect(trail.every((e: { actor: string }) => e.actor === 'Pat Privacy <privacy@clinic.test>')).toBe(true);
  });

  it('the exception path: returned unopened, closed as not reportable', async () => {
    const inc = await client.report({ ...FACTS, affected: { total: 1, byJurisdiction: { NY: 1 } } }, 'EOB mailed to the wrong address');
    const done = await client.walk(inc.id, [
      ...CONTAIN,
      { type: 'safeHarbor.assessed', note: 'Paper, not destroyed' },
      { type: 'assessment.exceptionApplied', exception: 'unable_to_retain', basis: 'USPS returned the envelope unopened' },
      { type: 'incident.closed' },
    ]);
    expect(done.closure).toMatchObject({ outcome: 'not_reportable' });
    expect(done.decision).toMatchObject({ outcome: 'exception', citation: '45 CFR 164.402(1)(iii)' });
  });

  it('the full notification path, with a law-enforcement hold and an insurance claim, then the chain verifies', async () => {
    const inc = await client.report(FACTS);
    let s = await client.walk(inc.id, [
      ...CONTAIN,
      { type: 'insurance.policyRecorded', carrier: 'Example Mutual', policyNumber: 'CY-2291', noticeWindowDays: 3 },
      { type: 'insurance.noticeGiven', on: '2026-03-03', method: 'written notice to claims@example-mutual.test' },
      { type: 'hold.placed', statement: 'oral', receivedOn: '2026-04-15', official: 'Det. K. Lund, NYPD Cyber' },
      { type: 'hold.followUp', receivedOn: '2026-05-01', delayUntil: '2026-06-15', official: 'ADA M. Chen' },
      { type: 'safeHarbor.assessed', encryption: { applied: true, keyCompromised: false, keyStoredWithDevice: true } },
      { type: 'assessment.completed', lowProbability: false, factors: FACTORS('Police report 26-1187') },
    ]);
    expect(s.state.phase).toBe('notification');
    expect(s.plan.lawEnforcementHold).toMatchObject({ endsOn: '2026-06-15' });
    const open = s.obligations.filter((o: { status: string }) => o.status === 'open').map((o: { key: string; dueOn: string }) => [o.key, o.dueOn]);
    expect(open).toEqual([
      ['HIPAA/individuals', '2026-06-15'],
      ['HIPAA/substitute_notice', '2026-06-15'],
      ['HIPAA/media/NY', '2026-06-15'],
      ['HIPAA/hhs', '2026-06-15'],
      ['US-NY/regulator/state-agencies', '2026-06-15'],
      // Five business days after Monday June 15, with Juneteenth (Friday June 19) not counted.
      ['US-NY/regulator/hhs-copy', '2026-06-23'],
    ]);

    const refused = await client.send(inc.id, { type: 'incident.closed' }).expect(409);
    expect(refused.body.errors[0].message).toMatch(/^6 obligations are still open/);

    // A notice is recorded once it has been sent: the clock moves to after the mailings.
    t.clock.set(new Date('2026-09-02T14:00:00Z'));
    s = await client.walk(inc.id, [
      { type: 'hold.lifted', liftedOn: '2026-06-01' },
      { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-06-02', method: 'first-class mail', count: 1188 },
      { type: 'notice.sent', key: 'HIPAA/substitute_notice', sentOn: '2026-06-02', method: 'home-page posting + toll-free line' },
      { type: 'notice.sent', key: 'HIPAA/media/NY', sentOn: '2026-06-02', method: 'press release' },
      { type: 'notice.sent', key: 'HIPAA/hhs', sentOn: '2026-06-03', method: 'OCR portal', reference: 'TX-552' },
      { type: 'notice.sent', key: 'US-NY/regulator/state-agencies', sentOn: '2026-06-03', method: 'AG online form' },
      { type: 'notice.sent', key: 'US-NY/regulator/hhs-copy', sentOn: '2026-06-05', method: 'email to AG' },
      { type: 'insurance.claimFiled', on: '2026-06-10', claimNumber: 'CL-7781' },
      { type: 'insurance.settled', on: '2026-09-01', amount: 42000 },
      { type: 'incident.closed', note: 'All notices sent' },
    ]);
    expect(s.state).toMatchObject({ phase: 'closed', open: false });
    expect(s.closure).toMatchObject({ outcome: 'notified' });
    expect(s.insurance).toMatchObject({ claimNumber: 'CL-7781', outcome: { kind: 'settled', amount: 42000 } });

    const report = (await client.http().get('/api/audit/verify').expect(200)).body;
    expect(report).toMatchObject({ intact: true, firstBroken: null });
    expect(report.events).toBeGreaterThan(40);
    t.clock.set(new Date('2026-03-03T14:00:00Z'));
  });

  it('refuses what is not allowed now with the events it accepts, and bad payloads with the field', async () => {
    const inc = await client.report(FACTS);
    const early = await client.send(inc.id, { type: 'containment.completed' }).expect(409);
    expect(early.body).toMatchObject({
      error: 'event_not_allowed',
      phase: 'reported',
      acceptedEvents: ['triage.started', 'incident.accepted', 'incident.dismissed', 'facts.updated', 'incident.assigned'],
    });
    const bad = await client.send(inc.id, { type: 'hold.placed', statement: 'email', receivedOn: '2026-02-30' }).expect(422);
    expect(bad.body.errors).toEqual([
      { path: 'statement', message: 'must be one of: oral, written; got "email"' },
      { path: 'receivedOn', message: 'must be a calendar date written YYYY-MM-DD, got "2026-02-30"' },
    ]);
    const unknown = await client.send(inc.id, { type: 'incident.teleported' }).expect(422);
    expect(unknown.body.errors[0].path).toBe('type');
    await client.anon().post(`/api/incidents/${inc.id}/events`).send({ type: 'triage.started' }).expect(401);
    await client.http().get('/api/incidents/not-a-uuid').expect(422);
    await client.http().get('/api/incidents/3f0c1c38-3a43-4c5e-9d0e-7a2f1b7c9d10').expect(404);
  });

  it('a stale If-Match gets 409; an Idempotency-Key makes a retry return the first answer', async () => {
    const inc = await client.report(FACTS);
    const first = await client.send(inc.id, { type: 'triage.started' }, { 'If-Match': '"1"', 'Idempotency-Key': 'k-1' }).expect(200);
    expect(first.headers.etag).toBe('"2"');
    const retry = await client.send(inc.id, { type: 'triage.started' }, { 'If-Match': '"1"', 'Idempotency-Key': 'k-1' }).expect(200);
    expect(retry.body).toEqual(first.body);
    const stale = await client.send(inc.id, { type: 'incident.accepted' }, { 'If-Match': '"1"' }).expect(409);
    expect(stale.body).toMatchObject({ error: 'stale_version', currentVersion: 2 });
    await client.send(inc.id, { type: 'incident.accepted' }, { 'Idempotency-Key': 'k-1' }).expect(422);
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
    expect(trail.map((e: { type: string }) => e.type)).toEqual(['incident.reported', 'triage.started']);
  });

  it('new facts re-plan and the change is recorded; a closed incident reopens as an addendum with the new obligations open', async () => {
    const inc = await client.report({ ...FACTS, affected: { total: 400, byJurisdiction: { NY: 400 } } });
    let s = await client.walk(inc.id, [...CONTAIN, { type: 'safeHarbor.assessed' }, { type: 'assessment.skipped', reason: 'Notify without assessment' }]);
    expect(s.obligations.find((o: { key: string }) => o.key === 'HIPAA/hhs')).toMatchObject({ track: 'annual_log', dueOn: '2027-03-01' });
    s = await client.walk(inc.id, [{ type: 'facts.updated', reason: 'Forensics: 620 records', changes: { affected: { total: 620, byJurisdiction: { NY: 620 } } } }]);
    expect(s.obligations.find((o: { key: string }) => o.key === 'HIPAA/hhs')).toMatchObject({ track: 'with_individual_notice', dueOn: '2026-05-01' });
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
    expect(trail[trail.length - 1].changes).toMatchObject({
      added: ['HIPAA/media/NY'],
      moved: expect.arrayContaining([{ key: 'HIPAA/hhs', from: '2027-03-01', to: '2026-05-01' }]),
    });

    const open = s.obligations.filter((o: { status: string; regime: string }) => o.status === 'open' && o.regime !== 'POLICY');
    t.clock.set(new Date('2026-04-02T14:00:00Z'));
    s = await client.walk(inc.id, [
      ...open.map((o: { key: string }) => ({ type: 'notice.sent', key: o.key, sentOn: '2026-04-01', method: 'mail' })),
      { type: 'incident.closed' },
      { type: 'incident.reopened', reason: 'A second box of charts was found', changes: { affected: { total: 900, byJurisdiction: { NY: 700, CT: 200 } } } },
    ]);
    expect(s.state).toMatchObject({ phase: 'notification', open: true });
    expect(s.reopenings).toBe(1);
    const reopened = s.obligations.filter((o: { status: string }) => o.status === 'open');
    expect(reopened.map((o: { key: string }) => o.key)).toEqual(['HIPAA/individuals', 'HIPAA/hhs', 'US-CT/regulator/attorney-general']);
    expect(reopened[0].reason).toMatch(/^280 more individuals were identified after the notice of 2026-04-01 \(620 then, 900 now\): send a further mailing/);
    expect(reopened[0].earlier).toEqual([{ sentOn: '2026-04-01', method: 'mail' }]);
    t.clock.set(new Date('2026-03-03T14:00:00Z'));
  });

  it('lists incidents with filters and paging, open ones first by next deadline', async () => {
    const all = (await client.http().get('/api/incidents?pageSize=100').expect(200)).body;
    expect(all.total).toBeGreaterThanOrEqual(7);
    expect(all.items[0].open).toBe(true);
    const closed = (await client.http().get('/api/incidents?open=false').expect(200)).body;
    expect(closed.items.every((i: { open: boolean }) => !i.open)).toBe(true);
    expect(closed.total).toBe(3);
    t.clock.set(new Date('2026-07-01T12:00:00Z'));
    const overdue = (await client.http().get('/api/incidents?overdue=true').expect(200)).body;
    expect(overdue.items.length).toBeGreaterThan(0);
    expect(overdue.items.every((i: { overdue: number; open: boolean }) => i.overdue > 0 && i.open)).toBe(true);
    const notification = (await client.http().get('/api/incidents?state=notification&dueBefore=2026-05-02').expect(200)).body;
    expect(notification.items.map((i: { phase: string }) => i.phase)).toEqual(['notification']);
    const page2 = (await client.http().get('/api/incidents?pageSize=2&page=2').expect(200)).body;
    expect(page2).toMatchObject({ page: 2, pageSize: 2 });
    expect(page2.items).toHaveLength(2);
    const bad = (await client.http().get('/api/incidents?state=asleep&pageSize=500&colour=red').expect(422)).body;
    expect(bad.errors.map((e: { path: string }) => e.path)).toEqual(['colour', 'state', 'pageSize']);
  });

  it('serves the OpenAPI description at /api/docs', async () => {
    const json = (await client.http().get('/api/docs-json').expect(200)).body;
    expect(Object.keys(json.paths)).toEqual(expect.arrayContaining(['/api/incidents', '/api/incidents/{id}/events', '/api/plan', '/api/audit/verify']));
    await client.http().get('/api/docs').expect(200);
  });
});
