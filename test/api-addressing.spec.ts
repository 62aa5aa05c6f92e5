import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

/** Incidents by reference as well as by id; a wrong method on a known path is a 405 with Allow. */
describe('addressing the API', () => {
  let t: TestApp;
  let id: string;
  const http = () => request(t.app.getHttpServer());

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-09-20T15:00:00Z'));
    id = (await http().post('/api/incidents').set(t.as('privacy_officer'))
      .send({ summary: 'Stolen laptop', facts: { discovery: { date: '2026-09-14' }, entity: { type: 'covered_entity', state: 'IL' }, affected: { total: 40 } } }).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  it('an incident answers to its reference, in every operation under it', async () => {
    const byRef = (await http().get('/api/incidents/BF-2026-0001').set(t.as('auditor')).expect(200)).body;
    expect(byRef.id).toBe(id);
    const sent = (await http().post('/api/incidents/BF-2026-0001/events').set(t.as('privacy_officer')).send({ type: 'triage.started' }).expect(200)).body;
    expect(sent).toMatchObject({ id, state: { phase: 'triage' } });
    const events = (await http().get('/api/incidents/BF-2026-0001/events?x=1').set(t.as('auditor')).expect(200)).body;
    expect(events.map((e: { type: string }) => e.type)).toEqual(['incident.reported', 'triage.started']);
    await http().get('/api/incidents/BF-2026-0001/roster').set(t.as('auditor')).expect(200);
  });

  it('an unknown reference is a 404, after the login check (no one learns which references exist without one)', async () => {
    expect((await http().get('/api/incidents/BF-2026-0999').set(t.as('auditor')).expect(404)).body)
      .toEqual({ errors: [{ path: 'id', message: 'no incident with this id' }] });
    await http().get('/api/incidents/BF-2026-0999').expect(401);
    await http().get('/api/incidents/BF-2026-0001').expect(401);
    expect((await http().get('/api/incidents/not-an-id').set(t.as('auditor')).expect(422)).body.errors[0].path).toBe('id');
  });

  it('a wrong method on a known path is 405 with Allow, in the errors shape; an unknown path stays 404', async () => {
    const plan = await http().delete('/api/plan').expect(405);
    expect(plan.headers.allow).toBe('POST');
    expect(plan.body).toEqual({ errors: [{ path: '', message: 'DELETE is not allowed here; this path answers POST' }] });
    expect((await http().put(`/api/incidents/${id}`).set(t.as('privacy_officer')).expect(405)).headers.allow).toBe('GET, HEAD');
    expect((await http().patch(`/api/incidents/${id}/events`).expect(405)).headers.allow).toBe('GET, HEAD, POST');
    expect((await http().post('/api/health').expect(405)).headers.allow).toBe('GET, HEAD');
    await http().get('/api/nowhere').expect(404);
    await http().get('/api/health').expect(200);
  });
});

describe('the OpenAPI document names the server as it listens', () => {
  it('with the port it really took', async () => {
    const t = await startTestApp(new Date('2026-09-20T15:00:00Z'));
    try {
      await t.app.listen(0, '127.0.0.1');
      const port = (t.app.getHttpServer().address() as { port: number }).port;
      const doc = (await fetch(`http://127.0.0.1:${port}/api/docs-json`).then((r) => r.json())) as { servers: { url: string }[] };
      expect(doc.servers[0].url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await t.close();
    }
  });
});
