import { FACTS_NY } from './support/fixtures';
import { CONTAIN, IncidentClient } from './support/incident-client';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 10 over HTTP on a real SQLite file: dates that cannot be, a notice sent during a
 * law-enforcement hold, a corrected proof, tied deadlines following the actual notice, and the
 * obligations a change of facts removed. Clock: 2026-03-20 in New York.
 */

const NOW = new Date('2026-03-20T14:00:00Z');
const TO_NOTIFICATION = [...CONTAIN, { type: 'safeHarbor.assessed' }, { type: 'assessment.skipped', reason: 'Notify without an assessment' }];

describe('dates, holds and proofs over HTTP', () => {
  let t: TestApp;
  let client: IncidentClient;
  beforeAll(async () => {
    t = await startTestApp(NOW);
    client = new IncidentClient(t.app, t.as('privacy_officer'));
  });
  afterAll(() => t.close());
  afterEach(() => t.clock.set(NOW));

  it('intake refuses a discovery after today, and a year past 2100 with a 422, not a 500', async () => {
    const post = (facts: unknown) => client.http().post('/api/incidents').set(t.as('owner')).send({ summary: 'Laptop stolen', facts });
    const future = await post({ ...FACTS_NY, discovery: { date: '2026-09-20' } }).expect(422);
    expect(future.body.errors).toEqual([{ path: 'facts.discovery.date', message: '2026-09-20 is after today (2026-03-20 where the practice is): a breach cannot be discovered in the future; check the date' }]);
    const far = await post({ ...FACTS_NY, discovery: { date: '9999-12-31' } }).expect(422);
    expect(far.body.errors).toEqual([{ path: 'facts.discovery.date', message: '9999-12-31 is after 2100: check the year' }]);
    const early = await post({ ...FACTS_NY, discovery: { date: '2026-03-02' }, lawEnforcementDelay: { statement: 'oral', receivedOn: '2026-03-01' } }).expect(422);
    expect(early.body.errors[0].path).toBe('facts.lawEnforcementDelay.receivedOn');
  });

  it('facts.updated refuses a discovery moved into the future, and notice.sent a notice sent in the future', async () => {
    const inc = await client.report(FACTS_NY);
    const moved = await client.send(inc.id, { type: 'facts.updated', reason: 'typo', changes: { discovery: { date: '2026-03-21' } } }).expect(422);
    expect(moved.body.errors).toEqual([{ path: 'changes.discovery.date', message: expect.stringMatching(/^2026-03-21 is after today \(2026-03-20/) }]);
    await client.walk(inc.id, TO_NOTIFICATION);
    const sent = await client.send(inc.id, { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-21', method: 'first-class mail' }).expect(422);
    expect(sent.body.errors).toEqual([{ path: 'sentOn', message: '2026-03-21 is in the future (today is 2026-03-20 where the practice is): record a notice once it has been sent' }]);
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
    expect(trail.some((e: { type: string }) => e.type === 'notice.sent')).toBe(false);
  });

  it('refuses a breach that ends before it starts, naming the field', async () => {
    const inc = await client.report(FACTS_NY);
    const res = await client.http().put(`/api/incidents/${inc.id}/notice-content`).send({ breachDates: { start: '2026-03-01', end: '2026-02-27' } }).expect(422);
    expect(res.body.errors).toEqual([{ path: 'breachDates.end', message: 'is before breachDates.start' }]);
  });

  it('a notice sent during a hold needs the confirmation and a reason; the audit event carries them', async () => {
    const inc = await client.report(FACTS_NY);
    await client.walk(inc.id, [...TO_NOTIFICATION, { type: 'hold.placed', statement: 'written', receivedOn: '2026-03-10', delayUntil: '2026-06-01', official: 'SA J. Reyes, FBI' }]);
    const refused = await client.send(inc.id, { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-18', method: 'first-class mail' }).expect(409);
    expect(refused.body.errors).toEqual([{ path: 'holdConfirmed', message: expect.stringContaining('a law-enforcement hold is in force until 2026-06-01 (45 CFR 164.412)') }]);
    const noReason = await client.send(inc.id, { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-18', method: 'mail', holdConfirmed: true }).expect(422);
    expect(noReason.body.errors[0].path).toBe('holdReason');
    const reason = 'The official agreed by phone that letters could go; written confirmation on file';
    const s = await client.walk(inc.id, [{ type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-18', method: 'first-class mail', holdConfirmed: true, holdReason: reason }]);
    expect(s.obligations.find((o: { key: string }) => o.key === 'HIPAA/individuals').proof).toMatchObject({ sentOn: '2026-03-18', duringHold: { holdEndsOn: '2026-06-01', reason } });
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
    expect(trail[trail.length - 1]).toMatchObject({ type: 'notice.sent', payload: { holdConfirmed: true, holdReason: reason } });
    // Sent before the statement came (2026-03-10): no confirmation needed.
    await client.walk(inc.id, [{ type: 'notice.sent', key: 'HIPAA/substitute_notice', sentOn: '2026-03-09', method: 'home-page posting' }]);
  });

  it('a recorded proof can be corrected; the old one is kept, both events are in the audit trail, and the NY deadlines tied to it follow', async () => {
    const inc = await client.report(FACTS_NY); // discovered 2026-03-02 in New York
    let s = await client.walk(inc.id, TO_NOTIFICATION);
    const due = (key: string) => s.obligations.find((o: { key: string }) => o.key === key);
    // Planned: the NY agencies "no later than the notice to residents", whose deadline is 2026-03-02 + 60 = 2026-05-01.
    expect(due('US-NY/regulator/state-agencies').dueOn).toBe('2026-05-01');
    s = await client.walk(inc.id, [{ type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-16', method: 'first-class mail', count: 1188 }]);
    // Residents notified on 2026-03-16: the agencies are due that day (0 days after it), not on 2026-05-01.
    expect(due('US-NY/regulator/state-agencies')).toMatchObject({ dueOn: '2026-03-16', plannedDueOn: '2026-05-01' });
    expect(due('US-NY/regulator/state-agencies').why).toContain('the notice to residents was sent on 2026-03-16');
    s = await client.walk(inc.id, [{ type: 'notice.sent', key: 'HIPAA/hhs', sentOn: '2026-03-17', method: 'OCR portal' }]);
    // Filed with HHS on Tuesday 2026-03-17: + 5 business days = Tuesday 2026-03-24 (N.Y. Gen. Bus. Law 899-aa(9)).
    expect(due('US-NY/regulator/hhs-copy').dueOn).toBe('2026-03-24');

    const bad = await client.send(inc.id, { type: 'proof.corrected', key: 'HIPAA/individuals', sentOn: '2026-03-25', reason: 'typo' }).expect(422);
    expect(bad.body.errors[0].path).toBe('sentOn'); // in the future
    const none = await client.send(inc.id, { type: 'proof.corrected', key: 'HIPAA/media/NY', sentOn: '2026-03-12', reason: 'typo' }).expect(409);
    expect(none.body.errors[0].message).toMatch(/^"HIPAA\/media\/NY" has no recorded proof to correct/);
    s = await client.walk(inc.id, [{ type: 'proof.corrected', key: 'HIPAA/individuals', sentOn: '2026-03-13', reason: 'The mail house mailed on Friday the 13th; 16 was a typo' }]);
    expect(due('HIPAA/individuals').proof).toMatchObject({ sentOn: '2026-03-13', method: 'first-class mail', count: 1188 });
    expect(due('HIPAA/individuals').superseded).toEqual([{ proof: { sentOn: '2026-03-16', method: 'first-class mail', count: 1188 }, reason: 'The mail house mailed on Friday the 13th; 16 was a typo' }]);
    expect(due('US-NY/regulator/state-agencies').dueOn).toBe('2026-03-13');
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
    expect(trail.filter((e: { type: string }) => e.type === 'notice.sent' || e.type === 'proof.corrected').map((e: { type: string; payload: { sentOn: string } }) => [e.type, e.payload.sentOn]))
      .toEqual([['notice.sent', '2026-03-16'], ['notice.sent', '2026-03-17'], ['proof.corrected', '2026-03-13']]);
    expect(trail[trail.length - 1].changes.moved).toEqual([{ key: 'US-NY/regulator/state-agencies', from: '2026-03-16', to: '2026-03-13' }]);
  });

  it('a covered entity records that its business associate (an agent) found the breach first: every clock moves', async () => {
    const inc = await client.report(FACTS_NY); // the covered entity's own discovery: 2026-03-02 in New York
    const later = await client.send(inc.id, { type: 'facts.updated', reason: 'BA letter', changes: { businessAssociate: { discoveredOn: '2026-03-05', agent: true } } }).expect(422);
    expect(later.body.errors[0]).toMatchObject({ path: 'changes.businessAssociate.discoveredOn', message: expect.stringContaining("after the covered entity's own discovery (2026-03-02)") });
    const s = await client.walk(inc.id, [{ type: 'facts.updated', reason: 'The billing vendor found it on Feb 20', changes: { businessAssociate: { discoveredOn: '2026-02-20', agent: true } } }]);
    expect(s.plan.discoveryDate).toBe('2026-02-20');
    // 2026-02-20 + 60 days = 2026-04-21 (164.404(b)).
    expect(s.obligations.find((o: { key: string }) => o.key === 'HIPAA/individuals').dueOn).toBe('2026-04-21');
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
    expect(trail[trail.length - 1].changes.moved).toEqual(expect.arrayContaining([{ key: 'HIPAA/individuals', from: '2026-05-01', to: '2026-04-21' }]));
  });

  it('shows the obligations a change of facts removed to whoever made the change', async () => {
    const inc = await client.report(FACTS_NY); // NY 900: more than 500, so media notice in NY
    await client.walk(inc.id, TO_NOTIFICATION);
    const res = await client.send(inc.id, { type: 'facts.updated', reason: 'Forensics: 400 NY records', changes: { affected: { total: 700, byJurisdiction: { NY: 400, NJ: 300 }, insufficientContact: 12 } } }).expect(200);
    expect(res.body.removedByLastChange).toEqual([{ key: 'HIPAA/media/NY', recipient: 'Prominent media outlets serving New York (usually a press release)', reason: '400 residents of New York are now affected, not more than 500: no media notice is required there (45 CFR 164.406(a))' }]);
    expect(res.body.obligations.some((o: { key: string }) => o.key === 'HIPAA/media/NY')).toBe(false);
    const page = await client.http().get(`/incidents/${inc.id}`).expect(200);
    expect(page.text).toContain('Prominent media outlets serving New York');
    expect(page.text).toContain('The last change of facts took these off the plan');
  });

  it('a roster import that lowers a state below 500 says, in its answer, that the media notice went', async () => {
    const inc = await client.report(FACTS_NY); // NY 900 estimated: media notice in NY (more than 500, 164.406(a))
    await client.walk(inc.id, TO_NOTIFICATION);
    const csv = ['name,state,address1,address2,city,postal_code,email,email_consent,status,representative_name,representative_role',
      'Zebulon Quackenbush,NY,12 Elm St,,Albany,12207,,,,,', 'Ignatius Pemberton,NJ,9 Shore Rd,,Newark,07102,,,,,'].join('\n');
    const res = await client.http().post(`/api/incidents/${inc.id}/roster`).set('Content-Type', 'text/csv').send(csv).expect(200);
    // The roster now counts 1 New York resident: not more than 500.
    expect(res.body).toMatchObject({ status: 'done', factsChanged: true });
    expect(res.body.removedObligations).toEqual(expect.arrayContaining([
      { key: 'HIPAA/media/NY', recipient: 'Prominent media outlets serving New York (usually a press release)', reason: '1 resident of New York is now affected, not more than 500: no media notice is required there (45 CFR 164.406(a))' },
    ]));
  });
});
