import request from 'supertest';
import { Role } from '../src/auth/actor';
import { EVENT_TYPES } from '../src/domain/lifecycle/incident-events';
import { JsonSchema } from '../src/openapi/json-schema';
import { Doc, Operation, resolve } from './support/openapi';
import { startTestApp, TestApp } from './support/test-app';

/**
 * One source of truth: the document's request schemas against the validators the code runs,
 * through the real endpoints. For every JSON body: its example is accepted; at every object the
 * schema closes, an unknown field is refused with the validator's list of known fields, which
 * must be the schema's properties; every required field, left out, is refused by name. The
 * list endpoint's query parameters are probed the same way.
 */

type Json = Record<string, unknown>;
const PROBE = 'zz_probe';

/** The known fields a refusal of an unknown one lists ("unknown field (expected one of: a, b)"). */
function listed(message: string): string[] | null {
  const m = /expected(?: one of)?: ([^)]*)\)/.exec(message);
  return m ? m[1].split(', ').filter((x) => x !== 'none').sort() : null;
}

/** The properties an object schema (or the object branches of its oneOf) declares. */
function properties(doc: Doc, s: JsonSchema): string[] {
  const r = resolve(doc, s);
  const branches = r.oneOf ? r.oneOf.map((b) => resolve(doc, b)).filter((b) => b.type === 'object') : [r];
  return [...new Set(branches.flatMap((b) => Object.keys(b.properties ?? {})))].sort();
}

/** The object schemas reachable from a schema along the example, with their path in the body. */
function objectsAlong(doc: Doc, s: JsonSchema, value: unknown, path: string[] = []): { path: string[]; schema: JsonSchema }[] {
  const r = resolve(doc, s);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  // Of a oneOf, the branch the example takes (the one declaring all its fields).
  const branch = r.oneOf
    ? r.oneOf.map((b) => resolve(doc, b)).find((b) => b.type === 'object' && Object.keys(value).every((k) => k in (b.properties ?? {})))
    : r;
  const out: { path: string[]; schema: JsonSchema }[] = [{ path, schema: r }];
  for (const [k, v] of Object.entries(value as Json)) {
    const child = branch?.properties?.[k];
    if (child) out.push(...objectsAlong(doc, child, v, [...path, k]));
  }
  return out;
}

function withAt(body: unknown, path: string[], change: (o: Json) => void): unknown {
  const copy = structuredClone(body) as Json;
  let o = copy;
  for (const k of path) o = o[k] as Json;
  change(o);
  return copy;
}

describe('the OpenAPI request schemas are the validators', () => {
  let t: TestApp;
  let doc: Doc;
  let incident: string;
  const send = (method: string, path: string, role: Role, body?: unknown) =>
    (request(t.app.getHttpServer()) as unknown as Record<string, (p: string) => request.Test>)[method](path).set(t.as(role)).send(body as object);

  beforeAll(async () => {
    // After the examples' dates (letters mailed 2026-09-30, mail returned 2026-10-06).
    t = await startTestApp(new Date('2026-10-10T15:00:00Z'));
    doc = (await request(t.app.getHttpServer()).get('/api/docs-json').expect(200)).body;
    incident = (await send('post', '/api/incidents', 'privacy_officer', { summary: 'probe', facts: { discovery: { date: '2026-09-14' }, entity: { type: 'covered_entity' }, affected: { total: 3 } } }).expect(201)).body.id;
    // Three people on the roster, so the examples' person numbers exist.
    await request(t.app.getHttpServer()).post(`/api/incidents/${incident}/roster`).set(t.as('privacy_officer')).set('Content-Type', 'text/csv')
      .send('name,state,address1,city,mail_state,postal_code\nAda One,IL,1 Main St,Springfield,IL,62701\nBo Two,IL,2 Main St,Springfield,IL,62701\nCy Three,IL,3 Main St,Springfield,IL,62701\n').expect(200);
  });
  afterAll(() => t?.close());

  function jsonOperations(): { at: string; method: string; path: string; op: Operation; schema: JsonSchema; example: unknown }[] {
    const ids: Record<string, string> = { id: incident, batchId: '00000000-0000-4000-8000-000000000000' };
    return Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).flatMap(([method, op]) => {
      const body = op.requestBody?.content['application/json'];
      if (!body) return [];
      const path = p.replace(/\{(\w+)\}/g, (_, n: string) => (p.startsWith('/api/users') ? t.userIds.auditor : ids[n]));
      return [{ at: `${method.toUpperCase()} ${p}`, method, path, op, schema: body.schema, example: body.example }];
    }));
  }
  const roleOf = (op: Operation): Role => (op['x-roles']?.[0] as Role | undefined) ?? 'privacy_officer';

  it('covers every JSON body of the document (a new operation is probed without being listed here)', () => {
    expect(jsonOperations().map((o) => o.at)).toEqual(expect.arrayContaining([
      'POST /api/incidents', 'POST /api/incidents/{id}/events', 'POST /api/incidents/{id}/letter-batches/{batchId}/sent', 'POST /api/incidents/{id}/roster/remove',
      'POST /api/incidents/{id}/roster/returned-mail', 'POST /api/plan', 'POST /api/users', 'POST /api/me/tokens', 'POST /api/me/password', 'PUT /api/incidents/{id}/notice-content', 'PUT /api/settings',
    ]));
  });

  it("accepts each operation's example (whatever else it answers, not a 422)", async () => {
    const refused: string[] = [];
    for (const o of jsonOperations()) {
      const r = await send(o.method, o.path, roleOf(o.op), o.example);
      if (r.status === 422 || r.status === 400 || r.status >= 500) refused.push(`${o.at}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    expect(refused).toEqual([]);
  });

  it('refuses an unknown field at every closed object, listing exactly the fields the schema declares', async () => {
    const drift: string[] = [];
    let probed = 0;
    for (const o of jsonOperations()) {
      if (o.at === 'POST /api/incidents/{id}/events') continue; // per event type, below
      for (const { path, schema } of objectsAlong(doc, o.schema, o.example)) {
        if (schema.additionalProperties !== false && !schema.oneOf) {
          if (schema.additionalProperties === undefined || schema.additionalProperties === true) {
            // An open object: the validator must not refuse an unknown field either.
            const r = await send(o.method, o.path, roleOf(o.op), withAt(o.example, path, (x) => { x[PROBE] = 1; }));
            if (r.status === 422 && (r.body.errors as { path: string }[]).some((e) => e.path.endsWith(PROBE))) drift.push(`${o.at} ${path.join('.')}: schema open, validator closed`);
          }
          continue;
        }
        probed += 1;
        const r = await send(o.method, o.path, roleOf(o.op), withAt(o.example, path, (x) => { x[PROBE] = 1; }));
        const err = (r.body.errors ?? []).find((e: { path: string }) => e.path.endsWith(PROBE));
        const known = err ? listed(err.message) : null;
        if (r.status !== 422 || !known) drift.push(`${o.at} ${path.join('.') || '(body)'}: an unknown field got ${r.status} ${JSON.stringify(r.body)}`);
        else if (known.join() !== properties(doc, schema).join()) drift.push(`${o.at} ${path.join('.') || '(body)'}: validator knows [${known}], schema declares [${properties(doc, schema)}]`);
      }
    }
    expect(drift).toEqual([]);
    // Every body's top level, and the nested objects its example has (facts, affected, contact, ...).
    expect(probed).toBeGreaterThanOrEqual(20);
  });

  it('refuses each required field left out, by name', async () => {
    const drift: string[] = [];
    let removed = 0;
    for (const o of jsonOperations()) {
      for (const { path, schema } of objectsAlong(doc, o.schema, o.example)) {
        for (const field of schema.required ?? []) {
          if (o.at === 'POST /api/incidents/{id}/events' && field === 'type') continue; // checked below with each type
          removed += 1;
          const r = await send(o.method, o.path, roleOf(o.op), withAt(o.example, path, (x) => { delete x[field]; }));
          const name = [...path, field].join('.');
          if (r.status !== 422 || !(r.body.errors as { path: string }[]).some((e) => e.path === name || e.path.endsWith(`.${name}`) || e.path === [...path].join('.'))) {
            drift.push(`${o.at}: without ${name} got ${r.status} ${JSON.stringify(r.body)}`);
          }
        }
      }
    }
    expect(drift).toEqual([]);
    expect(removed).toBeGreaterThanOrEqual(15);
  });

  it('accepts each optional field of the examples left out', async () => {
    const drift: string[] = [];
    for (const o of jsonOperations()) {
      for (const { path, schema } of objectsAlong(doc, o.schema, o.example)) {
        const present = Object.keys(path.reduce<Json>((x, k) => x[k] as Json, o.example as Json));
        for (const field of present.filter((f) => !(schema.required ?? []).includes(f) && schema.properties?.[f])) {
          const r = await send(o.method, o.path, roleOf(o.op), withAt(o.example, path, (x) => { delete x[field]; }));
          const name = [...path, field].join('.');
          if (r.status === 422 && (r.body.errors as { path: string }[]).some((e) => e.path === name || e.path.endsWith(`.${name}`))) drift.push(`${o.at}: the schema says ${name} is optional, the validator requires it`);
        }
      }
    }
    expect(drift).toEqual([]);
  });

  it('the event schema declares exactly the fields the event types take, and every type', async () => {
    const op = doc.paths['/api/incidents/{id}/events'].post;
    const schema = resolve(doc, op.requestBody!.content['application/json'].schema);
    expect(resolve(doc, schema.properties!.type).enum).toEqual(EVENT_TYPES);
    const fields = new Set<string>(['type']);
    for (const type of EVENT_TYPES) {
      const r = await send('post', `/api/incidents/${incident}/events`, 'privacy_officer', { type, [PROBE]: 1 });
      const err = (r.body.errors as { path: string; message: string }[]).find((e) => e.path === PROBE);
      expect(err).toBeDefined();
      for (const f of listed(err!.message) ?? []) fields.add(f);
    }
    expect([...fields].sort()).toEqual(Object.keys(schema.properties!).sort());
  });

  it('the list query: the parameters documented are the ones the validator knows', async () => {
    const documented = doc.paths['/api/incidents'].get.parameters!.filter((p) => p.in === 'query').map((p) => p.name).sort();
    const r = await send('get', `/api/incidents?${PROBE}=1`, 'privacy_officer').expect(422);
    expect(listed(r.body.errors[0].message)).toEqual(documented);
  });
});
