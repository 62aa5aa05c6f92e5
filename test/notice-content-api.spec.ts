import { IncidentClient } from './support/incident-client';
import { startTestApp, TestApp } from './support/test-app';

/** The owner's first words survive the privacy officer's partial save of the letter text (over HTTP, real SQLite). */
describe('PUT /api/incidents/:id/notice-content', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(new Date('2026-03-10T15:00:00Z')); });
  afterAll(() => t.close());

  it('changes the fields given, keeps the others, clears a null one, and names a bad field without saving anything', async () => {
    const po = new IncidentClient(t.app, t.as('privacy_officer'));
    const inc = await po.report({ discovery: { date: '2026-03-09' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 40, byJurisdiction: { NY: 40 } } });
    const url = `/api/incidents/${inc.id}/notice-content`;
    await po.http().put(url).send({ whatHappened: 'A laptop was stolen.', locations: ['laptop'], breachDates: { start: '2026-03-08' } }).expect(200);
    const saved = await po.http().put(url).send({ stepsForIndividuals: 'Watch your insurer statements.' }).expect(200);
    expect(saved.body).toEqual({ whatHappened: 'A laptop was stolen.', locations: ['laptop'], breachDates: { start: '2026-03-08' }, stepsForIndividuals: 'Watch your insurer statements.' });
    const bad = await po.http().put(url).send({ whatHappened: 'Changed', locations: ['garage'] }).expect(422);
    expect(bad.body.errors[0].path).toBe('locations[0]');
    await po.http().put(url).send({ breachDates: null }).expect(200);
    const now = await po.http().get(url).expect(200);
    expect(now.body).toEqual({ whatHappened: 'A laptop was stolen.', locations: ['laptop'], stepsForIndividuals: 'Watch your insurer statements.' });
  });
});
