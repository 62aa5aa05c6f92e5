import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions, MIGRATIONS } from '../src/persistence/data-source-options';
import { runCli } from './support/run-cli';
import { sqlAll } from './support/sqlite';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/** Issue 14: a user may hold more than one role (API, web admin page, CLI), and the migration keeps existing users. */
describe('multi-role users', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(new Date('2026-03-10T15:00:00Z')); });
  afterAll(async () => {
    await t.app.close().catch(() => undefined);
    rmSync(t.dir, { recursive: true, force: true });
  });
  const http = () => request(t.app.getHttpServer());

  it('the API sets a user\'s roles (admin only), audited with before and after; bad roles named; the last admin keeps admin', async () => {
    const url = `/api/users/${t.userIds.owner}/roles`;
    await http().put(url).set(t.as('owner')).send({ roles: ['owner', 'admin'] }).expect(403);
    const bad = await http().put(url).set(t.as('admin')).send({ roles: ['owner', 'boss'] }).expect(422);
    expect(bad.body.errors).toEqual([{ path: 'roles[1]', message: expect.stringContaining('must be one of: owner, privacy_officer, admin, auditor') }]);
    await http().put(url).set(t.as('admin')).send({ roles: [] }).expect(422);
    const done = (await http().put(url).set(t.as('admin')).send({ roles: ['admin', 'owner'] }).expect(200)).body;
    expect(done).toMatchObject({ role: 'admin', roles: ['owner', 'admin'] });
    // The owner's own token now carries both roles: the users list (admin) opens.
    await http().get('/api/users').set(t.as('owner')).expect(200);
    const events = (await http().get('/api/audit/access?type=user.rolesChanged').set(t.as('admin')).expect(200)).body;
    expect(events[0]).toMatchObject({ subject: t.userIds.owner, actor: `${TEST_USERS.admin.name} <${TEST_USERS.admin.email}>`, detail: { from: ['owner'], to: ['owner', 'admin'] } });
    // Two admins now: one may drop admin; then the other is the last and keeps it.
    await http().put(`/api/users/${t.userIds.admin}/roles`).set(t.as('owner')).send({ roles: ['auditor'] }).expect(200);
    const last = await http().put(url).set(t.as('owner')).send({ roles: ['owner'] }).expect(409);
    expect(last.body.errors[0]).toMatchObject({ path: 'roles', message: expect.stringContaining('last active administrator') });
    await http().put(`/api/users/${t.userIds.admin}/roles`).set(t.as('owner')).send({ roles: ['admin'] }).expect(200);
    const created = (await http().post('/api/users').set(t.as('admin')).send({ email: 'two@clinic.test', name: 'Two Hats', roles: ['privacy_officer', 'auditor'], password: TEST_PASSWORD }).expect(201)).body;
    expect(created).toMatchObject({ role: 'privacy_officer', roles: ['privacy_officer', 'auditor'] });
    await http().post('/api/users').set(t.as('admin')).send({ email: 'x@clinic.test', name: 'X', role: 'owner', roles: ['owner'], password: TEST_PASSWORD }).expect(422);
  });

  it('the admin page shows each user\'s roles and saves them from checkboxes', async () => {
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.admin.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = await http().get('/admin/users').set('Cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await http().post(`/admin/users/${t.userIds.auditor}/roles`).set('Cookie', cookie).type('form').send(`_csrf=${encodeURIComponent(csrf)}&roles=auditor&roles=owner`).expect(303);
    expect((await http().get('/api/users').set(t.as('admin')).expect(200)).body.find((u: { id: string }) => u.id === t.userIds.auditor).roles).toEqual(['owner', 'auditor']);
    const after = await http().get('/admin/users').set('Cookie', cookie).expect(200);
    expect(after.text).toContain('Practice owner, Auditor');
    const none = await http().post(`/admin/users/${t.userIds.auditor}/roles`).set('Cookie', cookie).type('form').send({ _csrf: csrf }).expect(422);
    expect(none.text).toContain('must be one or more of');
    await http().post('/admin/users').set('Cookie', cookie).type('form')
      .send(`_csrf=${encodeURIComponent(csrf)}&name=Web+Both&email=webboth%40clinic.test&roles=owner&roles=admin&password=${encodeURIComponent(TEST_PASSWORD)}`).expect(303);
    expect((await http().get('/api/users').set(t.as('admin')).expect(200)).body.find((u: { email: string }) => u.email === 'webboth@clinic.test').roles).toEqual(['owner', 'admin']);
  });

  it('the admin page answers 404 for roles (or a token) of a user that does not exist, before it checks the roles', async () => {
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.admin.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await http().get('/admin/users').set('Cookie', cookie).expect(200)).text)![1];
    const missing = '00000000-0000-4000-8000-000000000000';
    for (const form of [`_csrf=${encodeURIComponent(csrf)}&roles=auditor`, `_csrf=${encodeURIComponent(csrf)}`]) {
      expect((await http().post(`/admin/users/${missing}/roles`).set('Cookie', cookie).type('form').send(form).expect(404)).text).toContain('no such user');
    }
    expect((await http().post(`/admin/users/${missing}/token`).set('Cookie', cookie).type('form').send(`_csrf=${encodeURIComponent(csrf)}&label=x`).expect(404)).text).toContain('no such user');
    // Each user still listed with the roles they had.
    expect((await http().get('/api/users').set(t.as('admin')).expect(200)).body.find((u: { id: string }) => u.id === t.userIds.auditor).roles).toEqual(['owner', 'auditor']);
  });

  it('the command line adds a user with several roles: user add --role owner,admin', async () => {
    await t.app.close();
    const env = { DATABASE_PATH: t.config.databasePath };
    const run = runCli(['user', 'add', '--email', 'cli@clinic.test', '--name', 'Cli Both', '--role', 'owner,admin', '--password-stdin'], { env, input: `${TEST_PASSWORD}\n` });
    expect(run.stderr).toBe('');
    expect(run).toMatchObject({ status: 0, stdout: 'added Cli Both <cli@clinic.test> as owner and admin\n' });
    const bad = runCli(['user', 'add', '--email', 'cli2@clinic.test', '--name', 'Cli', '--role', 'owner,boss', '--password-stdin'], { env, input: `${TEST_PASSWORD}\n` });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('must be one of: owner, privacy_officer, admin, auditor');
    const rows = await sqlAll<{ role: string; primary_role: string }>(t.config.databasePath,
      `SELECT r.role AS role, u.role AS primary_role FROM user_role r JOIN "user" u ON u.id = r.user_id WHERE u.email = 'cli@clinic.test' ORDER BY r.role`);
    expect(rows).toEqual([{ role: 'admin', primary_role: 'admin' }, { role: 'owner', primary_role: 'admin' }]);
  }, 60_000);
});

describe('the last active administrator', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(new Date('2026-03-10T15:00:00Z')); });
  afterAll(() => t.close());

  it('cannot be disabled (nobody could manage users after); another admin can', async () => {
    const http = () => request(t.app.getHttpServer());
    const refused = await http().post(`/api/users/${t.userIds.admin}/disable`).set(t.as('admin')).expect(409);
    expect(refused.body.errors).toEqual([{ path: 'id', message: 'this is the last active administrator: give another user the admin role before disabling this one' }]);
    // Nothing changed: the admin's token still works.
    await http().get('/api/users').set(t.as('admin')).expect(200);
    await http().put(`/api/users/${t.userIds.owner}/roles`).set(t.as('admin')).send({ roles: ['owner', 'admin'] }).expect(200);
    expect((await http().post(`/api/users/${t.userIds.admin}/disable`).set(t.as('owner')).expect(201)).body).toMatchObject({ disabled: true });
    await http().post(`/api/users/${t.userIds.owner}/disable`).set(t.as('owner')).expect(409);
    // A disabled admin does not count: the owner, the last active one, keeps the admin role too.
    await http().put(`/api/users/${t.userIds.owner}/roles`).set(t.as('owner')).send({ roles: ['owner'] }).expect(409);
  });
});

describe('the user-roles migration', () => {
  it('gives every existing user the role they had', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachflow-roles-'));
    const path = join(dir, 'db.sqlite');
    const before = MIGRATIONS.filter((m) => !['UserRoles1764000000026', 'Attachments1764000000060'].includes(m.name));
    const old = new DataSource({ ...dataSourceOptions(path), migrations: before } as ReturnType<typeof dataSourceOptions>);
    await old.initialize();
    await old.query(`INSERT INTO "user" ("id", "email", "name", "role", "password_hash", "disabled", "created_at") VALUES
      ('u1', 'a@clinic.test', 'A', 'owner', 'x', 0, '2026-01-01T00:00:00Z'), ('u2', 'b@clinic.test', 'B', 'auditor', 'x', 1, '2026-01-02T00:00:00Z')`);
    await old.destroy();
    const now = new DataSource(dataSourceOptions(path));
    await now.initialize();
    expect(await now.query('SELECT "user_id", "role" FROM "user_role" ORDER BY "user_id"')).toEqual([{ user_id: 'u1', role: 'owner' }, { user_id: 'u2', role: 'auditor' }]);
    await now.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
});
