import { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import request from 'supertest';
import ts from 'typescript';
import { registeredRoutes } from '../src/method-not-allowed';
import { Doc, OUT, resolve, runBin, writeOut } from './support/openapi';
import { ROOT } from './support/run-cli';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The served OpenAPI document, checked against the router (every operation documented), linted
 * with Redocly's recommended rules, and turned into a typed client that really drives the server.
 */

jest.setTimeout(180_000);

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Doc;
  let docPath: string;

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-09-20T15:00:00Z'));
    doc = (await request(t.app.getHttpServer()).get('/api/docs-json').expect(200)).body;
    docPath = writeOut('openapi.json', JSON.stringify(doc, null, 2));
  });
  afterAll(() => t?.close());

  it('documents every operation the router serves under /api: summary, body with example, answers with schemas, parameters, security', () => {
    const routes = registeredRoutes(t.app).filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const { path, methods } of routes) {
      const docPath = path.replace(/:(\w+)/g, '{$1}');
      for (const method of methods.map((m) => m.toLowerCase())) {
        const op = doc.paths[docPath]?.[method];
        const at = `${method.toUpperCase()} ${docPath}`;
        if (!op) { problems.push(`${at}: not in the document`); continue; }
        if (!op.summary) problems.push(`${at}: no summary (add @ApiDoc to the handler)`);
        const codes = Object.keys(op.responses);
        const ok = codes.filter((c) => /^2/.test(c));
        if (!ok.length || ok.some((c) => !op.responses[c].content)) problems.push(`${at}: no 2xx answer with a schema`);
        const refusals = codes.filter((c) => /^4/.test(c));
        if (!refusals.length && docPath !== '/api/health') problems.push(`${at}: no 4xx answer`);
        for (const c of refusals) {
          const schema = op.responses[c].content?.['application/json']?.schema;
          if ((schema?.$ref ?? schema?.allOf?.[0].$ref) !== '#/components/schemas/Errors') problems.push(`${at}: ${c} is not the Errors shape`);
        }
        if (!Array.isArray(op.security)) problems.push(`${at}: no security`);
        if (['post', 'put', 'patch'].includes(method) && !['/api/incidents/{id}/letter-batches', '/api/users/{id}/disable', '/api/users/{id}/tokens/{tokenId}/revoke', '/api/retention/purge'].includes(docPath)) {
          const bodies = Object.values(op.requestBody?.content ?? {});
          if (!bodies.length || bodies.some((b) => b.example === undefined)) problems.push(`${at}: no request body with an example`);
        }
        const inPath = [...docPath.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const name of inPath) {
          const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
          const ids = p?.schema.format === 'uuid' || p?.schema.oneOf?.some((s) => s.format === 'uuid');
          if (!p) problems.push(`${at}: path parameter ${name} undocumented`);
          else if (/^(id|\w+Id)$/.test(name) && !ids) problems.push(`${at}: ${name} is not format: uuid`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('names its servers, its license and its security schemes; a public operation says so', () => {
    expect(doc.servers?.length).toBeGreaterThan(0);
    expect(doc.info.license?.name).toBe('Apache-2.0');
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'csrf', 'session']);
    expect(doc.paths['/api/plan'].post.security).toEqual([]);
    expect(doc.paths['/api/incidents/{id}/events'].post.security).toEqual([{ bearer: [] }, { session: [], csrf: [] }]);
    expect(doc.paths['/api/incidents/{id}/events'].post['x-roles']).toEqual(['privacy_officer']);
    expect(resolve(doc, doc.paths['/api/plan'].post.responses['422'].content!['application/json'].schema).properties?.errors).toBeDefined();
  });

  it("passes Redocly's recommended rules with 0 errors (offline: no telemetry, no update check)", () => {
    const r = runBin('redocly', ['lint', docPath, '--format=json']);
    const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: { severity: string; ruleId: string; message: string }[] };
    expect(report.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(report.totals.errors).toBe(0);
    expect(r.status).toBe(0);
  });

  describe('a typed client generated from it', () => {
    const client = (intake: string) => `import type { paths } from './api';

type Json<T> = T extends { content: { 'application/json': infer B } } ? B : never;
type Intake = Json<paths['/api/incidents']['post']['requestBody']>;
type Incident = Json<paths['/api/incidents']['post']['responses'][201]>;
type Event = Json<paths['/api/incidents/{id}/events']['post']['requestBody']>;
type Facts = Json<paths['/api/plan']['post']['requestBody']>;
type Plan = Json<paths['/api/plan']['post']['responses'][200]>;

export async function reportSendAndPlan(base: string, authorization: string): Promise<{ reference: string; phase: string; determination: string; due: string[] }> {
  async function post<B, R>(path: string, body: B): Promise<R> {
    const r = await fetch(base + path, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (r.status >= 300) throw new Error(path + ' answered ' + r.status + ': ' + (await r.text()));
    return (await r.json()) as R;
  }
  const intake: Intake = ${intake};
  const incident = await post<Intake, Incident>('/api/incidents', intake);
  const event: Event = { type: 'triage.started' };
  const after = await post<Event, Incident>('/api/incidents/' + incident.reference + '/events', event);
  const plan = await post<Facts, Plan>('/api/plan', intake.facts);
  return { reference: incident.reference, phase: after.state.phase, determination: plan.determination, due: plan.obligations.map((o) => o.dueOn) };
}
`;
    const good = "{ summary: 'Stolen laptop', facts: { discovery: { date: '2026-09-14' }, entity: { type: 'covered_entity', state: 'IL' }, affected: { total: 40, byJurisdiction: { IL: 40 } } } }";
    const typecheck = (files: string[]) => runBin('tsc', ['--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--target', 'es2022', '--module', 'commonjs', '--lib', 'es2022,dom', '--types', 'node', ...files.map((f) => relative(ROOT, f))]);

    beforeAll(() => {
      const r = runBin('openapi-typescript', [docPath, '--output', join(OUT, 'api.d.ts')]);
      expect(r.status).toBe(0);
    });

    it('type-checks a script that reports an incident, sends an event and reads the plan, and refuses a wrong one', () => {
      // One compile of both: the right script, and one the types must refuse (a count as text, an
      // unknown event type), so the check can fail.
      const r = typecheck([writeOut('client.ts', client(good)), writeOut('client-bad.ts', client(good.replace('total: 40', "total: 'forty'")).replace("type: 'triage.started'", "type: 'triage.begun'"))]);
      const errors = r.stdout.split('\n').filter((l) => l.includes('error TS'));
      expect(errors.filter((l) => !l.startsWith('test-output/openapi/client-bad.ts'))).toEqual([]);
      expect(errors.some((l) => l.includes("'forty'") || l.includes('string'))).toBe(true);
      expect(errors.some((l) => l.includes('triage.begun'))).toBe(true);
    });

    it('and the script works against the running server', async () => {
      await t.app.listen(0, '127.0.0.1');
      const base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
      const js = ts.transpileModule(client(good), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { reportSendAndPlan } = require(writeOut('client.js', js)) as { reportSendAndPlan: (b: string, a: string) => Promise<{ reference: string; phase: string; determination: string; due: string[] }> };
      const result = await reportSendAndPlan(base, t.as('privacy_officer').Authorization);
      expect(result).toEqual({ reference: 'BF-2026-0001', phase: 'triage', determination: 'breach', due: expect.arrayContaining(['2026-11-13']) });
    });
  });
});
