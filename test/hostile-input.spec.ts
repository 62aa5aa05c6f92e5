import request from 'supertest';
import { IncidentClient } from './support/incident-client';
import { assessNoticeRequired, LETTER_TEXT, PRACTICE_SETTINGS, startPractice } from './support/practice';
import { TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * Inputs a review traced to a 500 (or, on PostgreSQL, to an error from the database): each must be
 * a clear refusal naming its field, or simply ignored, on either engine.
 */

const FACTS = { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 3, byJurisdiction: { NY: 3 } } };

describe('hostile input', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  beforeAll(async () => {
    ({ t, po } = await startPractice(new Date('2026-03-10T15:00:00Z'), PRACTICE_SETTINGS));
    id = (await po.report(FACTS)).id;
    await assessNoticeRequired(po, id, 'not encrypted', 'police report');
    await po.http().put(`/api/incidents/${id}/notice-content`).send(LETTER_TEXT).expect(200);
  }, 60_000);
  afterAll(() => t.close());
  const http = () => request(t.app.getHttpServer());

  it('a session cookie with a broken %-escape (set by another app on the host) is no session, not a 500', async () => {
    await http().get('/api/health').set('Cookie', 'bf_session=%').expect(200);
    await http().get('/login').set('Cookie', 'bf_session=%E0%A4%A').expect(200);
    expect((await http().get('/').set('Cookie', 'bf_session=%').expect(302)).headers.location).toBe('/login');
  });

  it('a web form posted without a body reads as an empty form', async () => {
    const login = await http().post('/login').expect((r) => expect(r.status).toBeLessThan(500));
    expect(login.status).not.toBe(500);
    await http().post('/login').set('Content-Type', 'text/plain').send(`email=${TEST_USERS.admin.email}&password=${TEST_PASSWORD}`).expect((r) => expect(r.status).toBeLessThan(500));
    await http().post('/setup').expect((r) => expect(r.status).toBeLessThan(500));
  });

  it('a NUL character is refused wherever it comes, naming where', async () => {
    const body = await http().post('/api/incidents').set(t.as('privacy_officer')).send({ summary: 'a\u0000b', facts: FACTS }).expect(422);
    expect(body.body.errors).toEqual([{ path: 'summary', message: 'holds a NUL character (U+0000), which no field may hold' }]);
    const nested = await po.http().post(`/api/incidents/${id}/notes`).send({ text: 'ok', tags: { ['x\u0000']: 1 } }).expect(422);
    expect(nested.body.errors[0].path).toBe('tags.x\\u0000');
    const query = await http().get('/api/audit/access?actor=%00').set(t.as('admin')).expect(422);
    expect(query.body.errors).toEqual([{ path: 'actor', message: expect.stringContaining('NUL') }]);
    expect((await http().get('/api/incidents/%00').set(t.as('admin')).expect(422)).body.errors[0].path).toBe('path');
    await http().post('/login').type('form').send('email=a%00&password=x').expect(422);
  });

  it('a person number beyond what the roster can hold is refused, naming it', async () => {
    const big = await po.http().post(`/api/incidents/${id}/roster/remove`).send({ people: [1, 2147483648], reason: 'listed by mistake' }).expect(422);
    expect(big.body.errors).toEqual([{ path: 'people[1]', message: expect.stringContaining('must be a person number') }]);
    await po.http().post(`/api/incidents/${id}/roster/returned-mail`).send({ returnedOn: '2026-03-09', people: [1e21] }).expect(422);
    const doc = await po.http().get(`/api/incidents/${id}/documents/individual-notice?person=99999999999`).expect(422);
    expect(doc.body.errors[0].path).toBe('person');
  });

  it('a page\'s message chosen by the query never reaches what every object inherits', async () => {
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.privacy_officer.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    for (const done of ['__defineGetter__', 'constructor', 'toString']) {
      await http().get(`/incidents/${id}/claim?done=${done}`).set('Cookie', cookie).expect(200);
    }
  });
  it('a CSV line is bounded before it is held whole; a returned-mail file is bounded as it is read', async () => {
    const long = await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(`name,state\n${'x'.repeat(100_000)},NY\n`).expect(422);
    expect(long.body.errors).toEqual([{ path: expect.stringMatching(/^(line \d+|file)$/), message: expect.stringContaining('CSV_MAX_RECORD_SIZE') }]);
    const many = `person\n${Array.from({ length: 100_001 }, (_, i) => i + 1).join('\n')}\n`;
    const returned = await po.http().post(`/api/incidents/${id}/roster/returned-mail?returnedOn=2026-03-09`).set('Content-Type', 'text/csv').send(many).expect(422);
    expect(returned.body.errors).toEqual([{ path: 'file', message: 'lists more than 100,000 people: send it in parts' }]);
  });
});
