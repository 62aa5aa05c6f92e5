import fc from 'fast-check';
import { AddressInfo } from 'node:net';
import { Role, ROLES } from '../src/auth/actor';
import { LettersService } from '../src/letters/letters.service';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { runCli } from './support/run-cli';
import { sqlCount } from './support/sqlite';
import { startTestApp, TEST_PASSWORD } from './support/test-app';

/**
 * Issue 12: 10,000 generated requests against the real server (listening on a port) on a real SQLite
 * file. The operations come from the server's own OpenAPI document; bodies are valid examples,
 * examples with one value replaced by anything JSON can hold, or anything at all; path ids are real,
 * random or hostile; every role and no login. Bound: no 500, and afterwards the audit chains
 * verify and the rows match what the server acknowledged.
 */

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const SEED = 20261201;

interface Op { method: 'get' | 'post' | 'put'; path: string }
interface Req { op: Op; who: Role | 'none' | 'garbage'; ids: Record<string, string>; query: Record<string, string>; body: unknown; csv: string | null; idempotencyKey: string | null }

const DOCS = ['individual-notice', 'substitute-notice', 'media-notice', 'hhs-report', 'ba-notice', 'insurer-notice'];
const FACTS = { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 3, byJurisdiction: { NY: 3 } } };
const CONTENT = { whatHappened: 'A laptop was stolen.', breachDates: { start: '2026-03-01' }, phiTypes: ['name'], stepsForIndividuals: 'Watch your mail.', whatWeAreDoing: 'Encrypting laptops.' };

/** Valid bodies per operation (the generator mutates them). */
function examples(path: string, method: string): unknown[] {
  const key = `${method} ${path}`;
  switch (key) {
    case 'post /api/incidents': return [{ summary: 'Misdirected fax', facts: FACTS }, { summary: 'Stolen laptop', facts: { ...FACTS, affected: { total: 600 } } }];
    case 'post /api/plan': return [FACTS];
    case 'put /api/settings': return [{ practiceName: 'Lakeside' }, { reminders: { sendHour: 9 } }];
    case 'post /api/users': return [{ email: 'fuzz@clinic.test', name: 'Fuzz', role: 'auditor', password: TEST_PASSWORD }];
    case 'post /api/me/tokens': return [{ label: 'fuzz' }, { label: 'fuzz', expiresInDays: 30 }];
    case 'post /api/incidents/{id}/events': return [
      { type: 'triage.started' }, { type: 'incident.accepted', note: 'PHI involved' }, { type: 'facts.updated', changes: { affected: { total: 9 } }, reason: 'recount' },
      { type: 'insurance.policyRecorded', carrier: 'Mutual', noticeWindowDays: 30 }, { type: 'containment.itemResolved', item: 'stop_exposure', status: 'done' },
      { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-09', method: 'mail', count: 3 }, { type: 'incident.assigned', privacyOfficerEmail: 'po@clinic.test' },
      { type: 'safeHarbor.assessed', note: 'paper' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('x') },
    ];
    case 'post /api/incidents/{id}/roster/remove': return [{ people: [1], reason: 'not affected' }];
    case 'post /api/incidents/{id}/roster/returned-mail': return [{ returnedOn: '2026-03-09', people: [1, 2] }];
    case 'put /api/incidents/{id}/notice-content': return [CONTENT];
    case 'post /api/incidents/{id}/letter-batches/{batchId}/sent': return [{ sentOn: '2026-03-10' }];
    default: return [{}];
  }
}

/** A JSON value with one leaf (or branch) replaced by an arbitrary one. */
function mutate(value: unknown, pick: number, replacement: unknown): unknown {
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (n++ === pick) return replacement;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}

const hostile = fc.constantFrom('', 'x', '..%2F..%2Fetc%2Fpasswd', '00000000-0000-4000-8000-000000000000', 'BF-2026-0001', '%00', "' OR 1=1 --", 'a'.repeat(300), '-1', '1e309', '😀');
const anyJson = fc.jsonValue({ maxDepth: 4 });
const extremes = fc.oneof(anyJson, fc.constantFrom(1e308, -1e308, 2 ** 53, -0, '9999-12-31', '0000-01-01', '2026-02-30', '\u0000', '\ufeffx', 'x'.repeat(5000), [], {}, null, true));

function requestArb(ops: Op[], real: () => Record<string, string[]>): fc.Arbitrary<Req> {
  return fc.record({
    op: fc.constantFrom(...ops),
    who: fc.constantFrom<Req['who']>(...ROLES, ...ROLES, 'none', 'garbage'),
    idChoice: fc.nat(99),
    hostileId: hostile,
    query: fc.dictionary(fc.constantFrom('format', 'person', 'year', 'type', 'state', 'open', 'overdue', 'page', 'pageSize', 'onInvalid', 'returnedOn', 'jurisdiction', 'postingStart', 'limit', 'actor', 'dueBefore'),
      fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('pdf', 'html', 'text', 'json', '1', '2', '2026', 'true', 'skip', 'NY', '2026-03-10', '0', '-5', '99999999999')), { maxKeys: 3 }),
    bodyKind: fc.nat(9),
    example: fc.nat(20),
    pick: fc.nat(12),
    replacement: extremes,
    anything: anyJson,
    csvRows: fc.array(fc.oneof(fc.constant('Ann Alpha,NY,1 Main St,Albany,12207'), fc.string({ maxLength: 40 })), { maxLength: 4 }),
    idem: fc.option(fc.constantFrom('k1', 'k2', 'k3'), { nil: null }),
  }).map((g) => {
    const pools = real();
    const ids: Record<string, string> = {};
    for (const name of ['id', 'batchId', 'importId', 'tokenId', 'name']) {
      const pool = name === 'name' ? [...DOCS, 'manifest.csv', 'letters-0001.pdf'] : pools[name] ?? [];
      ids[name] = g.idChoice < 80 && pool.length ? pool[g.idChoice % pool.length] : g.hostileId;
    }
    const ex = examples(g.op.path, g.op.method);
    const valid = ex[g.example % ex.length];
    const body = g.bodyKind < 4 ? valid : g.bodyKind < 8 ? mutate(valid, g.pick, g.replacement) : g.anything;
    const csv = g.op.path.endsWith('/roster') && g.op.method === 'post' ? ['name,state,address1,city,postal_code', ...g.csvRows].join('\n') : null;
    return { op: g.op, who: g.who, ids, query: g.query, body, csv, idempotencyKey: g.idem };
  });
}

describe('fuzz: 10,000 generated requests against the real server', () => {
  it('never answers 500; afterwards the audit trail verifies and the rows match what was acknowledged', async () => {
    const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    const server = await t.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const po = new IncidentClient(t.app, t.as('privacy_officer'));
    await po.http().put('/api/settings').set(t.as('admin')).send({ practiceName: 'Lakeside', contact: { tollFreePhone: '1-800-555-0100', website: 'https://lakeside.example' } }).expect(200);
    const seeded = await po.report(FACTS);
    await po.walk(seeded.id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'paper' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('x') }]);
    await po.http().put(`/api/incidents/${seeded.id}/notice-content`).send(CONTENT).expect(200);
    await po.http().post(`/api/incidents/${seeded.id}/roster`).set('Content-Type', 'text/csv').send('name,state,address1,city,postal_code,email,email_consent\nAnn Alpha,NY,1 Main St,Albany,12207,ann@mail.example,yes\nBob Beta,NY,2 Main St,Albany,12207,,\n').expect(200);
    const pools: Record<string, string[]> = { id: [seeded.id], batchId: [], importId: [], tokenId: [] };

    const doc = await (await fetch(`${base}/api/docs-json`)).json() as { paths: Record<string, Record<string, unknown>> };
    const ops: Op[] = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).filter((m) => ['get', 'post', 'put'].includes(m)).map((m) => ({ method: m as Op['method'], path })))
      .filter((o) => !(o.method === 'post' && o.path === '/api/incidents/{id}/letter-batches')); // PDF rendering: exercised below, a few times only
    expect(ops.length).toBeGreaterThan(25);
    const samples = fc.sample(requestArb(ops, () => pools), { numRuns: REQUESTS, seed: SEED });
    const tokens = { admin: t.as('admin'), owner: t.as('owner'), privacy_officer: t.as('privacy_officer'), auditor: t.as('auditor') };
    const failures: string[] = [];
    let acknowledgedIncidents = 0;
    let acknowledgedUsers = 0;
    const counts: Record<number, number> = {};

    const send = async (r: Req, i: number) => {
      const path = r.op.path.replace(/\{(\w+)\}/g, (_, k: string) => encodeURIComponent(r.ids[k] ?? 'x'));
      const url = `${base}${path}${Object.keys(r.query).length ? `?${new URLSearchParams(r.query)}` : ''}`;
      const headers: Record<string, string> = r.who === 'none' ? {} : r.who === 'garbage' ? { Authorization: 'Bearer bft_not-a-token' } : { ...tokens[r.who] };
      if (r.idempotencyKey) headers['Idempotency-Key'] = `${r.idempotencyKey}-${i % 7}`;
      let body: string | undefined;
      if (r.op.method !== 'get') {
        headers['Content-Type'] = r.csv !== null ? 'text/csv' : 'application/json';
        body = r.csv ?? JSON.stringify(r.body ?? null);
      }
      let res: Response;
      let text: string;
      try {
        res = await fetch(url, { method: r.op.method.toUpperCase(), headers, body, signal: AbortSignal.timeout(20_000) });
        text = await res.text();
      } catch (e) {
        failures.push(`no answer (${(e as Error).name}) ${r.op.method.toUpperCase()} ${path} as ${r.who}: ${(body ?? '').slice(0, 200)}`);
        return;
      }
      counts[res.status] = (counts[res.status] ?? 0) + 1;
      if (res.status >= 500) failures.push(`${res.status} ${r.op.method.toUpperCase()} ${path} as ${r.who}: ${(body ?? '').slice(0, 200)} -> ${text.slice(0, 200)}`);
      if (res.status === 201 && r.op.method === 'post' && r.op.path === '/api/incidents') { acknowledgedIncidents++; pools.id.push((JSON.parse(text) as { id: string }).id); }
      if (res.status === 201 && r.op.path === '/api/users') acknowledgedUsers++;
      if (res.status === 201 && r.op.path === '/api/me/tokens') pools.tokenId.push((JSON.parse(text) as { id: string }).id);
      if (res.status === 200 && r.csv !== null) { const b = JSON.parse(text) as { importId?: string }; if (b.importId) pools.importId.push(b.importId); }
    };

    for (let i = 0; i < samples.length; i += 4) {
      await Promise.all(samples.slice(i, i + 4).map((r, k) => send(r, i + k)));
      if (i % 2500 === 0) {
        // Now and then a real letter batch, so batch ids and files exist for the generator.
        const b = await fetch(`${base}/api/incidents/${seeded.id}/letter-batches`, { method: 'POST', headers: tokens.privacy_officer });
        if (b.status === 202) pools.batchId.push(((await b.json()) as { id: string }).id);
        await t.app.get(LettersService).settle();
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(REQUESTS);
    // The generator reaches past validation: a good share of the requests are accepted.
    expect({ ok: (counts[200] ?? 0) + (counts[201] ?? 0) > REQUESTS / 10, counts }).toMatchObject({ ok: true });

    const verify = await (await fetch(`${base}/api/audit/verify`, { headers: tokens.auditor })).json();
    expect(verify).toMatchObject({ intact: true, accessBroken: null });
    const db = t.config.databasePath;
    expect(await sqlCount(db, 'SELECT COUNT(*) AS n FROM incident')).toBe(1 + acknowledgedIncidents);
    expect(await sqlCount(db, 'SELECT COUNT(*) AS n FROM "user"')).toBe(ROLES.length + acknowledgedUsers);
    await t.app.close();
    const cli = runCli(['audit', 'verify'], { env: { DATABASE_PATH: db } });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    await t.close();
  }, 900_000);
});
