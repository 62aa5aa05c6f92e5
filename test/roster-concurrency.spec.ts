import { DataSource } from 'typeorm';
import { RosterFactsService } from '../src/roster/roster-facts.service';
import { holdFirstCall, overlap } from './support/hold';
import { IncidentClient } from './support/incident-client';
import { testPgServer } from './support/pg-database';
import { startWithBreach } from './support/practice';
import { TestApp } from './support/test-app';

/**
 * Two roster changes at once on PostgreSQL (two requests, or two instances): returned mail for one
 * person while another is taken off the roster. Each change counts the roster and writes the counts
 * into the facts; without the incident's row locked first, the second counted without the first's
 * uncommitted rows and its facts dropped the returned mail (the insufficient-contact count that
 * decides the substitute notice). The first change is held open after its counts by wrapping the
 * app's own refreshFacts (nothing replaced) until the second waits on a lock. On SQLite the one
 * writer runs such changes one after the other by construction, so the test is PostgreSQL's.
 */

const ROSTER = 'name,state,address1,city,postal_code\nAnn Alpha,NY,1 Main St,Albany,12207\nBob Beta,NY,2 Main St,Albany,12207\nCy Gamma,NY,3 Main St,Albany,12207\n';
const onPostgres = testPgServer() ? describe : describe.skip;

onPostgres('roster changes at the same moment on PostgreSQL', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  beforeAll(async () => {
    ({ t, po, id } = await startWithBreach(3));
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(ROSTER).expect(200);
  }, 60_000);
  afterAll(() => t?.close());

  it('returned mail and a removal at once: the facts keep both', async () => {
    const { waited, a: returned, b: removed } = await overlap(t.app.get(DataSource), holdFirstCall(t.app.get(RosterFactsService), 'refreshFacts'),
      () => po.http().post(`/api/incidents/${id}/roster/returned-mail`).send({ returnedOn: '2026-03-09', people: [1] }).then((r) => r),
      () => po.http().post(`/api/incidents/${id}/roster/remove`).send({ people: [2], reason: 'not a patient of ours after all' }).then((r) => r));
    expect(waited).toBe(1);
    expect(returned.status).toBe(200);
    expect(removed.status).toBe(200);
    const inc = (await po.http().get(`/api/incidents/${id}`).expect(200)).body;
    // Person 1's mail came back (no email: cannot be reached), person 2 is off the roster.
    expect(inc.facts.affected).toEqual({ total: 3, byJurisdiction: { NY: 2 }, insufficientContact: 1 });
  });
});
