import request from 'supertest';
import { LettersService } from '../src/letters/letters.service';
import { IncidentClient } from './support/incident-client';
import { LETTER_TEXT, startWithBreach } from './support/practice';
import { sqlCount } from './support/sqlite';
import { TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/** Issue 12, items 6 and 7 and the echo cap: inputs that gave a 500 now get a 4xx naming the field. */

const HEADER = 'name,state,address1,city,postal_code,email,email_consent\n';

function nested(depth: number, leaf: unknown, key?: string): string {
  const open = key ? `{"${key}":` : '[';
  const close = key ? '}' : ']';
  return `${open.repeat(depth)}${JSON.stringify(leaf)}${close.repeat(depth)}`;
}

describe('security: bad input is a 4xx naming the field, never a 500', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  beforeAll(async () => {
    ({ t, po, id } = await startWithBreach(4));
    await po.http().put(`/api/incidents/${id}/notice-content`).send(LETTER_TEXT).expect(200);
  }, 60_000);
  afterAll(() => t.close());

  const raw = (path: string, text: string) => po.http().post(path).set('Content-Type', 'application/json').set('Idempotency-Key', 'deep-1').send(text);

  it('an event whose changes nest 100,000 levels deep', async () => {
    const res = await raw(`/api/incidents/${id}/events`, `{"type":"facts.updated","reason":"x","changes":${nested(100_000, 1, 'a')}}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0]).toMatchObject({ path: expect.stringMatching(/^changes\.a\.a/), message: 'nests deeper than 32 levels' });
  });

  it('roster/remove with people nested 100,000 deep', async () => {
    const res = await raw(`/api/incidents/${id}/roster/remove`, `{"reason":"x","people":${nested(100_000, 1)}}`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toMatch(/^people\[0\]/);
  });

  it('insurance.policyRecorded with noticeWindowDays 1,000,000,000', async () => {
    const res = await po.send(id, { type: 'insurance.policyRecorded', carrier: 'Example Mutual', noticeWindowDays: 1_000_000_000 });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('noticeWindowDays');
  });

  it('intake with discovery 9999-12-31', async () => {
    const res = await po.http().post('/api/incidents').send({ summary: 'Far future', facts: { discovery: { date: '9999-12-31' }, entity: { type: 'covered_entity' }, affected: { total: 1 } } });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe('facts.discovery.date');
  });

  it('5 concurrent "sent" on one batch with emails: one 200, the others 409; one email per person', async () => {
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv')
      .send(`${HEADER}Ann Alpha,NY,1 Main St,Albany,12207,ann@mail.example,yes\nBob Beta,NY,2 Main St,Albany,12207,bob@mail.example,yes\nCy Gamma,NY,3 Main St,Albany,12207,,\n`).expect(200);
    const batch = (await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body;
    await t.app.get(LettersService).settle();
    const results = await Promise.all(Array.from({ length: 5 }, () => po.http().post(`/api/incidents/${id}/letter-batches/${batch.id}/sent`).send({ sentOn: '2026-03-10' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await sqlCount(t.config.databasePath, "SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key LIKE 'notice/%'")).toBe(2);
  });

  it('a later mailing for people added after the first was sent can be marked sent too: further proof on the same obligation', async () => {
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(`${HEADER}Dee Delta,NY,4 Main St,Albany,12207,dee@mail.example,yes\n`).expect(200);
    const later = (await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body;
    await t.app.get(LettersService).settle();
    const res = await po.http().post(`/api/incidents/${id}/letter-batches/${later.id}/sent`).send({ sentOn: '2026-03-10' });
    expect(res.status).toBe(200);
    expect(res.body.sentOn).toBe('2026-03-10');
    expect(await sqlCount(t.config.databasePath, "SELECT COUNT(*) AS n FROM outbox WHERE idempotency_key LIKE 'notice/%'")).toBe(3);
    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { type: string }[];
    expect(events.map((e) => e.type)).toContain('notice.furtherMailing');
  });

  it('roster/remove with 100,000 absent numbers answers at once (a linear lookup), naming them', async () => {
    const timed = async (n: number) => {
      const start = process.hrtime.bigint();
      const res = await po.http().post(`/api/incidents/${id}/roster/remove`).send({ reason: 'x', people: Array.from({ length: n }, (_, i) => 1000 + i) });
      expect(res.status).toBe(422);
      expect(res.body.errors[0]).toEqual({ path: 'people[0]', message: "no person 1000 on this incident's roster" });
      return Number(process.hrtime.bigint() - start);
    };
    // Five times the numbers: about five times the time when linear, twenty-five when quadratic (the old 6 s).
    const small = await timed(20_000);
    const large = await timed(100_000);
    expect(large / small).toBeLessThan(12);
  });

  it('the web report form checks everything first: a bad notice field creates no incident, so a resubmit makes no duplicate', async () => {
    const http = () => request(t.app.getHttpServer());
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.owner.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await http().get('/report').set('Cookie', cookie).expect(200)).text)![1];
    const before = await sqlCount(t.config.databasePath, 'SELECT COUNT(*) AS n FROM incident');
    const form = { _csrf: csrf, what: 'Fax sent to the wrong number', foundOn: '2026-03-09', happenedOn: '2026-02-30', where: 'paper', count: '1', state: 'NY', encrypted: 'na' };
    const res = await http().post('/report').set('Cookie', cookie).type('form').send(form);
    expect(res.status).toBe(422);
    expect(await sqlCount(t.config.databasePath, 'SELECT COUNT(*) AS n FROM incident')).toBe(before);
    await http().post('/report').set('Cookie', cookie).type('form').send({ ...form, happenedOn: '2026-02-28' }).expect(303);
    expect(await sqlCount(t.config.databasePath, 'SELECT COUNT(*) AS n FROM incident')).toBe(before + 1);
  });

  it("only a privacy officer or admin sets an incident's reminder address at intake, and only to a user of the practice", async () => {
    const intake = (privacyOfficerEmail: string) => ({ summary: 'Misdirected fax', privacyOfficerEmail, facts: { discovery: { date: '2026-03-09' }, entity: { type: 'covered_entity' }, affected: { total: 1 } } });
    const owner = await po.http().post('/api/incidents').set(t.as('owner')).send(intake('privacy@clinic.test'));
    expect(owner.status).toBe(403);
    expect(owner.body.errors[0].path).toBe('privacyOfficerEmail');
    const outsider = await po.http().post('/api/incidents').send(intake('someone@elsewhere.example'));
    expect(outsider.status).toBe(422);
    expect(outsider.body.errors[0]).toEqual({ path: 'privacyOfficerEmail', message: 'must be the email of an active user of breachflow' });
    await po.http().post('/api/incidents').send(intake('privacy@clinic.test')).expect(201);
  });

  it("typed notice text cannot add a heading or a bullet to a patient's letter", async () => {
    await po.http().put(`/api/incidents/${id}/notice-content`).send({ ...LETTER_TEXT, whatHappened: 'A fax went astray.\n# Pay a fee here\n- call 1-900-555-0100' }).expect(200);
    const html = (await po.http().get(`/api/incidents/${id}/documents/individual-notice?format=html`).expect(200)).text;
    expect(html).toContain('# Pay a fee here');
    expect(html).not.toContain('<h1>Pay a fee here');
    expect(html).not.toContain('<li>call 1-900');
    await po.http().put(`/api/incidents/${id}/notice-content`).send(LETTER_TEXT).expect(200);
  });

  it('an error echoes at most 80 characters of what was sent', async () => {
    const res = await po.http().get('/api/incidents').query({ open: 'x'.repeat(7000) });
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body).length).toBeLessThan(400);
  });
  // A read-only review's finds (session 22): each was a 500, a database error on PostgreSQL, or a leak.
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
    const body = await http().post('/api/incidents').set(t.as('privacy_officer')).send({ summary: 'a\u0000b', facts: {} }).expect(422);
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
