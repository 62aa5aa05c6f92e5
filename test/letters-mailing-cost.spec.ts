import { testDb } from './support/db';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { LettersService } from '../src/letters/letters.service';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Item of issue 15: a mailed batch's postage and printing enter the claim ledger by themselves, at
 * the practice's rates (settings), through the one dispatch path (an insurance.costRecorded event,
 * audited as the person who marked it sent), linked to the batch, and once however often "mark
 * sent" is retried. Over HTTP on the real app and a real SQLite file.
 */

const ROSTER = ['name,state,address1,city,postal_code,email,email_consent',
  'Ana Alvarez,NY,1 Elm St,Albany,12207,,',
  'Ben Brooks,NY,2 Elm St,Albany,12207,,',
  'Cy Chen,NY,3 Elm St,Albany,12207,,',
  'Di Diaz,NY,4 Elm St,Albany,12207,di@mail.example,yes'].join('\n') + '\n';
const CONTENT = {
  whatHappened: 'A laptop holding appointment lists was stolen from a car. It was not encrypted.',
  breachDates: { start: '2026-03-01' }, phiTypes: ['name', 'address'],
  stepsForIndividuals: 'Review the statements you receive from your health insurer.', whatWeAreDoing: 'We are encrypting every laptop.',
};

describe('a mailing\'s cost enters the claim ledger by itself', () => {
  let t: TestApp;
  let client: IncidentClient;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    client = new IncidentClient(t.app, t.as('privacy_officer'));
    id = (await client.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 4, byJurisdiction: { NY: 4 } } })).id;
    await client.walk(id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'not encrypted' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('police report') }]);
    await client.http().put(`/api/incidents/${id}/notice-content`).send(CONTENT).expect(200);
    await client.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(ROSTER).expect(200);
  }, 60_000);
  afterAll(() => t?.close());

  it('refuses bad rates naming the field, and saves nothing', async () => {
    const res = await client.http().put('/api/settings').set(t.as('admin')).send({ practiceName: 'Lakeside', mailingRates: { postagePerLetter: 0.735, printPerPage: -1 } }).expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['mailingRates.postagePerLetter', 'mailingRates.printPerPage']);
    expect((await client.http().get('/api/settings').set(t.as('admin')).expect(200)).body.practiceName).toBeNull();
  });

  it('records postage and printing once, as the person who marked the batch sent, linked to the batch', async () => {
    await client.http().put('/api/settings').set(t.as('admin')).send({
      practiceName: 'Lakeside Family Medicine', contact: { tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example' },
      mailingRates: { postagePerLetter: 0.73, printPerPage: 0.1, vendor: 'Hudson Print & Mail' },
    }).expect(200);
    const created = (await client.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body;
    await t.app.get(LettersService).settle();
    const batch = (await client.http().get(`/api/incidents/${id}/letter-batches/${created.id}`).expect(200)).body;
    expect(batch).toMatchObject({ status: 'done', letters: 3, emails: 1 });

    await client.http().post(`/api/incidents/${id}/letter-batches/${batch.id}/sent`).send({ sentOn: '2026-03-09' }).expect(200);
    const retried = await client.http().post(`/api/incidents/${id}/letter-batches/${batch.id}/sent`).send({ sentOn: '2026-03-09' }).expect(409);
    expect(retried.body.errors[0].message).toContain('already marked sent');

    const claim = (await client.http().get(`/api/incidents/${id}/claim`).expect(200)).body;
    expect(claim.costs).toHaveLength(1);
    expect(claim.costs[0]).toMatchObject({
      on: '2026-03-09', vendor: 'Hudson Print & Mail', part: 'notification', fromBatchId: batch.id,
      amount: 3 * 73 + batch.pages * 10, // cents: 3 letters' postage and every page's printing
      description: `Mailing of letter batch ${batch.id}: 3 letters at $0.73 postage, ${batch.pages} pages at $0.10 printing`,
    });

    const events = await testDb(t.config).all<{ type: string; actor: string }>(
      `SELECT "type", "actor" FROM "incident_event" WHERE "incident_id" = $1 AND "type" IN ('notice.sent', 'insurance.costRecorded') ORDER BY "seq"`, [id]);
    expect(events.map((e) => e.type)).toEqual(['notice.sent', 'insurance.costRecorded']);
    expect(events[1].actor).toBe(events[0].actor);
    expect(events[1].actor).not.toBe('breachflow');
  });
});
