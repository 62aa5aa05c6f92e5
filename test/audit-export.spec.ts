import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { IncidentClient } from './support/incident-client';
import { dbEnv } from './support/db';
import { runCli } from './support/run-cli';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/** Issue 15: the audit trail as CSV (changes and access events, no PHI), and the audit page's filters by kind and user. */
describe('audit export and the audit page', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  const SECRET = 'Reginald Applethwaite';
  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    id = (await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 1, byJurisdiction: { NY: 1 } } }, `Chart of ${SECRET} lost`)).id;
    await po.walk(id, [{ type: 'triage.started' }, { type: 'incident.accepted', note: `${SECRET} called` }]);
    await po.http().put('/api/settings').set(t.as('admin')).send({ practiceName: 'Lakeside' }).expect(200);
  }, 60_000);
  afterAll(async () => {
    await t.app.close().catch(() => undefined);
    rmSync(t.dir, { recursive: true, force: true });
  });
  const http = () => request(t.app.getHttpServer());

  it('GET /api/audit/export.csv: both trails, filtered by kind and user, no PHI; the export is an access event', async () => {
    const all = await http().get('/api/audit/export.csv').set(t.as('auditor')).expect(200);
    expect(all.headers['content-type']).toMatch(/^text\/csv/);
    const lines = all.text.trim().split('\r\n');
    expect(lines[0]).toBe('trail,seq,at,kind,type,actor,incident,subject,detail,hash');
    expect(lines.filter((l) => l.startsWith('incident,')).map((l) => l.split(',')[4])).toEqual(['incident.reported', 'triage.started', 'incident.accepted']);
    expect(all.text).toContain('settings.updated');
    expect(all.text).toContain('BF-2026-0001');
    expect(all.text).not.toContain('Applethwaite');

    const changes = (await http().get('/api/audit/export.csv?kind=changes').set(t.as('admin')).expect(200)).text.trim().split('\r\n').slice(1);
    expect(changes.every((l) => l.startsWith('incident,'))).toBe(true);
    const admin = (await http().get('/api/audit/export.csv?kind=admin').set(t.as('admin')).expect(200)).text.trim().split('\r\n').slice(1);
    expect(admin.length).toBeGreaterThan(0);
    expect(admin.every((l) => l.split(',')[3] === 'admin')).toBe(true);
    const byUser = (await http().get(`/api/audit/export.csv?user=${encodeURIComponent(TEST_USERS.admin.email)}`).set(t.as('admin')).expect(200)).text.trim().split('\r\n').slice(1);
    expect(byUser.length).toBeGreaterThan(0);
    expect(byUser.every((l) => l.includes(TEST_USERS.admin.email))).toBe(true);

    const bad = await http().get('/api/audit/export.csv?kind=everything').set(t.as('admin')).expect(422);
    expect(bad.body.errors[0].path).toBe('kind');
    await http().get('/api/audit/export.csv').set(t.as('owner')).expect(403);
    const exported = (await http().get('/api/audit/access?type=audit.exported').set(t.as('admin')).expect(200)).body;
    expect(exported[exported.length - 1]).toMatchObject({ actor: `${TEST_USERS.auditor.name} <${TEST_USERS.auditor.email}>`, detail: { kind: 'all' } });
    expect((await http().get('/api/audit/verify').expect(200).set(t.as('admin'))).body).toMatchObject({ intact: true });
  });

  it('the audit page filters by kind and by user, and links its CSV', async () => {
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.auditor.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = (await http().get('/audit').set('Cookie', cookie).expect(200)).text;
    expect(page).toContain('incident.accepted');
    expect(page).toContain('settings.updated');
    expect(page).not.toContain('Applethwaite');
    const changes = (await http().get('/audit?kind=changes').set('Cookie', cookie).expect(200)).text;
    expect(changes).toContain('incident.accepted');
    expect(changes).not.toContain('<strong>settings.updated');
    const admin = (await http().get('/audit?kind=admin').set('Cookie', cookie).expect(200)).text;
    expect(admin).toContain('<strong>settings.updated');
    expect(admin).not.toContain('<strong>incident.accepted');
    const user = (await http().get(`/audit?user=${encodeURIComponent('Pat')}`).set('Cookie', cookie).expect(200)).text;
    expect(user).toContain('href="/api/audit/export.csv?user=Pat"');
    const bad = await http().get('/audit?kind=nope').set('Cookie', cookie).expect(422);
    expect(bad.text).toContain('Kind: choose one of');
    const ownerLogin = await http().post('/login').type('form').send({ email: TEST_USERS.owner.email, password: TEST_PASSWORD }).expect(303);
    await http().get('/audit').set('Cookie', (ownerLogin.headers['set-cookie'] as unknown as string[])[0].split(';')[0]).expect(403);
  });

  it('the command line writes the CSV owner-only to a new file', async () => {
    await t.app.close();
    const env = dbEnv(t.config);
    const out = join(t.dir, 'audit.csv');
    const run = runCli(['audit', 'export', '--out', out, '--kind', 'changes', '--actor', 'Pat'], { env });
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ status: 0, stdout: `wrote 3 audit rows to ${out} (owner-only)\n` });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, 'utf8')).not.toContain('Applethwaite');
    expect(runCli(['audit', 'export', '--out', out], { env }).status).toBe(2); // not over an existing file
  }, 60_000);
});
