import request from 'supertest';
import { Role } from '../src/auth/actor';
import { Doc } from './support/openapi';
import { answerProblems, problems } from './support/schema-check';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The answers are what the document says: every status the server gives is one the operation
 * declares, and every JSON body fits that status's schema, through a real incident's life (and
 * its refusals: 401, 403, 404, 409, 422).
 */

jest.setTimeout(120_000);

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

describe('the API answers as the OpenAPI document declares', () => {
  let t: TestApp;
  let doc: Doc;
  const seen: string[] = [];
  const wrong: string[] = [];

  /** Calls `METHOD /documented/{path}` with the values for its parameters, and checks the answer. */
  async function call(method: 'get' | 'post' | 'put', documented: string, params: Record<string, string>, role: Role | null, body?: unknown, contentType?: string) {
    const url = documented.replace(/\{(\w+)\}/g, (_, n: string) => params[n]);
    let req = request(t.app.getHttpServer())[method](url);
    if (role) req = req.set(t.as(role));
    if (contentType) req = req.set('Content-Type', contentType);
    const r = await (body === undefined ? req : req.send(body as object));
    seen.push(`${method.toUpperCase()} ${documented} ${r.status}`);
    wrong.push(...answerProblems(doc, documented, method, r.status, r.body, r.headers['content-type']));
    return r;
  }

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-10-10T15:00:00Z'));
    doc = (await request(t.app.getHttpServer()).get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => t?.close());

  it('through an incident and its refusals', async () => {
    const po: Role = 'privacy_officer';
    await call('get', '/api/health', {}, null);
    await call('post', '/api/plan', {}, null, { discovery: { date: '2026-09-14' }, entity: { type: 'covered_entity', state: 'CA' }, affected: { total: 900, byJurisdiction: { CA: 600 }, insufficientContact: 12 } });
    await call('post', '/api/plan', {}, null, { discovery: { date: 'soon' } });
    await call('get', '/api/me', {}, 'auditor');
    await call('get', '/api/me', {}, null);
    await call('put', '/api/settings', {}, 'admin', { practiceName: 'Lakeside Family Medicine', contact: { tollFreePhone: '1-800-555-0100', website: 'https://lakeside.example/notice' } });
    await call('put', '/api/settings', {}, 'auditor', { practiceName: 'x' });
    await call('get', '/api/settings', {}, 'auditor');
    const users = await call('get', '/api/users', {}, 'admin');
    await call('post', '/api/users', {}, 'admin', { email: 'new@clinic.test', name: 'New One', role: 'auditor', password: 'a long enough passphrase' });
    await call('post', '/api/users', {}, 'admin', { email: 'new@clinic.test', name: 'New One', role: 'auditor', password: 'a long enough passphrase' });
    await call('post', '/api/me/tokens', {}, 'admin', { label: 'script' });
    await call('post', '/api/users/{id}/disable', { id: NO_SUCH }, 'admin');

    const report = await call('post', '/api/incidents', {}, po, { summary: 'Stolen laptop', facts: { discovery: { date: '2026-09-14' }, entity: { type: 'covered_entity', state: 'CA' }, affected: { total: 3 } } });
    const id: string = report.body.id;
    await call('post', '/api/incidents', {}, 'auditor', { summary: 'x', facts: {} });
    await call('get', '/api/incidents', {}, 'auditor');
    await call('get', '/api/incidents/{id}', { id }, 'auditor');
    await call('get', '/api/incidents/{id}', { id: 'BF-2026-0001' }, 'auditor');
    await call('get', '/api/incidents/{id}', { id: NO_SUCH }, 'auditor');
    await call('get', '/api/incidents/{id}', { id: 'nope' }, 'auditor');
    await call('post', '/api/incidents/{id}/events', { id }, po, { type: 'incident.closed' });
    await call('post', '/api/incidents/{id}/events', { id }, po, { type: 'triage.started' });
    await call('post', '/api/incidents/{id}/events', { id }, po, { type: 'incident.accepted' });
    await call('get', '/api/incidents/{id}/events', { id }, 'auditor');
    await call('post', '/api/incidents/{id}/roster', { id }, po, 'name,state,address1,city,mail_state,postal_code\nAda One,CA,1 Main St,Fresno,CA,93721\nBo Two,CA,2 Main St,Fresno,CA,93721\n', 'text/csv');
    await call('post', '/api/incidents/{id}/roster', { id }, po, 'name,colour\nAda,red\n', 'text/csv');
    await call('get', '/api/incidents/{id}/roster', { id }, 'auditor');
    await call('post', '/api/incidents/{id}/roster/returned-mail', { id }, po, { returnedOn: '2026-10-06', people: [2] });
    await call('put', '/api/incidents/{id}/notice-content', { id }, po, {
      whatHappened: 'A laptop was stolen.', breachDates: { start: '2026-09-12' }, phiTypes: ['name'], stepsForIndividuals: 'Watch your statements.', whatWeAreDoing: 'Encrypting laptops.',
    });
    await call('get', '/api/incidents/{id}/notice-content', { id }, 'auditor');
    await call('get', '/api/incidents/{id}/documents/{name}', { id, name: 'hhs-report' }, 'auditor');
    await call('get', '/api/incidents/{id}/documents/{name}', { id, name: 'individual-notice' }, po);
    await call('get', '/api/incidents/{id}/documents/{name}', { id, name: 'no-such-document' }, po);
    await call('get', '/api/incidents/{id}/letter-batches', { id }, 'auditor');
    await call('get', '/api/incidents/{id}/letter-batches/{batchId}', { id, batchId: NO_SUCH }, 'auditor');
    await call('post', '/api/incidents/{id}/letter-batches/{batchId}/sent', { id, batchId: NO_SUCH }, po, { sentOn: '2026-10-01' });
    await call('post', '/api/incidents/{id}/roster/remove', { id }, po, { people: [1], reason: 'listed by mistake' });
    await call('get', '/api/reports/hhs-annual-log', {}, po);
    await call('get', '/api/audit/verify', {}, 'auditor');

    if (process.env.SHOW_ANSWERS) console.log(seen.join("\n"));
    expect(wrong).toEqual([]);
    // The run met every kind of refusal the document promises.
    for (const status of [401, 403, 404, 409, 422]) expect(seen.some((s) => s.endsWith(` ${status}`))).toBe(true);
  });

  it('the checker itself refuses what does not fit', () => {
    expect(problems(doc, { $ref: '#/components/schemas/Errors' }, { errors: [{ path: 'x' }] })).toEqual(['$.errors[0].message: missing']);
    expect(problems(doc, { $ref: '#/components/schemas/IncidentIntake' }, { summary: 'x', facts: {}, colour: 1 })).toContain('$.colour: not in the schema');
  });
});
