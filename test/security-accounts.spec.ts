import request from 'supertest';
import { LoginLimiter, MAX_KEYS } from '../src/auth/login-limiter';
import { UsersService } from '../src/auth/users.service';
import { testDb } from './support/db';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/** Issue 12, items 2, 3, 9 and 11: nobody mints a token for someone else; the login limit holds under load and in memory; timing does not tell. */
describe('security: tokens and logins', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(new Date('2026-03-10T15:00:00Z')); });
  afterAll(() => t.close());
  const http = () => request(t.app.getHttpServer());
  const events = (type: string) => testDb(t.config).all<{ actor: string; subject: string; detail: string }>('SELECT "actor", "subject", "detail" FROM "access_event" WHERE "type" = $1 ORDER BY "seq"', [type]);

  it('an admin cannot mint a token for another user (API or web); a token is made by its owner and audited with who made it', async () => {
    // The old admin route is gone.
    await http().post(`/api/users/${t.userIds.owner}/tokens`).set(t.as('admin')).send({ label: 'x' }).expect(404);
    const made = await http().post('/api/me/tokens').set(t.as('owner')).send({ label: 'my script', expiresInDays: 30 }).expect(201);
    expect(made.body).toMatchObject({ label: 'my script', expiresAt: '2026-04-09T15:00:00.000Z' });
    await http().get('/api/me').set('Authorization', `Bearer ${made.body.token}`).expect(200).expect((r) => expect(r.body.id).toBe(`${TEST_USERS.owner.name} <${TEST_USERS.owner.email}>`));
    const created = (await events('token.created')).find((e) => e.subject === made.body.id)!;
    expect(created.actor).toBe(`${TEST_USERS.owner.name} <${TEST_USERS.owner.email}>`);
    expect(JSON.parse(created.detail)).toMatchObject({ userId: t.userIds.owner, label: 'my script' });
    await expect(t.app.get(UsersService).createToken(t.userIds.owner, 'x', undefined, { id: 'Ada', userId: t.userIds.admin, role: 'admin', via: 'token' })).rejects.toMatchObject({ status: 403 });

    // The web form, for another user, refuses.
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.admin.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = await http().get('/admin/users').set('Cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    expect(page.text.match(/New API token/g)).toHaveLength(1); // only on the admin's own row
    const refused = await http().post(`/admin/users/${t.userIds.owner}/token`).set('Cookie', cookie).type('form').send({ _csrf: csrf, label: 'web' }).expect(403);
    expect(refused.text).toContain('made by its owner only');
  });

  it('an admin revokes anyone\'s token, an owner their own, nobody else; revocation is audited with who did it', async () => {
    const mine = (await http().post('/api/me/tokens').set(t.as('privacy_officer')).send({ label: 'a' }).expect(201)).body;
    await http().post(`/api/users/${t.userIds.privacy_officer}/tokens/${mine.id}/revoke`).set(t.as('owner')).expect(403);
    await http().post(`/api/users/${t.userIds.privacy_officer}/tokens/${mine.id}/revoke`).set(t.as('admin')).expect(201).expect((r) => expect(r.body.revoked).toBe(true));
    await http().get('/api/me').set('Authorization', `Bearer ${mine.token}`).expect(401);
    const own = (await http().post('/api/me/tokens').set(t.as('privacy_officer')).send({ label: 'b' }).expect(201)).body;
    await http().post(`/api/users/${t.userIds.privacy_officer}/tokens/${own.id}/revoke`).set(t.as('privacy_officer')).expect(201);
    const revoked = await events('token.revoked');
    expect(revoked.map((e) => [e.subject, e.actor])).toEqual([
      [mine.id, `${TEST_USERS.admin.name} <${TEST_USERS.admin.email}>`], [own.id, `${TEST_USERS.privacy_officer.name} <${TEST_USERS.privacy_officer.email}>`],
    ]);
    const bad = await http().post('/api/me/tokens').set(t.as('auditor')).send({ label: 'c', expiresInDays: 1000 }).expect(422);
    expect(bad.body.errors[0].path).toBe('expiresInDays');
  });

  it('a token stops working when it expires, and records when it was last used', async () => {
    const made = (await http().post('/api/me/tokens').set(t.as('auditor')).send({ label: 'short', expiresInDays: 1 }).expect(201)).body;
    await http().get('/api/me').set('Authorization', `Bearer ${made.token}`).expect(200);
    const [row] = await testDb(t.config).all<{ last_used_at: string }>('SELECT "last_used_at" FROM "api_token" WHERE "id" = $1', [made.id]);
    expect(row.last_used_at).toBe('2026-03-10T15:00:00.000Z');
    t.clock.set(new Date('2026-03-11T15:00:01Z'));
    await http().get('/api/me').set('Authorization', `Bearer ${made.token}`).expect(401);
    t.clock.set(new Date('2026-03-10T15:00:00Z'));
  });

  it('30 parallel wrong guesses: at most 5 are judged, the rest get 429, and each is audited', async () => {
    const before = (await events('login.failed')).length;
    const results = await Promise.all(Array.from({ length: 30 }, () => http().post('/login').type('form').send({ email: TEST_USERS.auditor.email, password: 'a wrong guess here' })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(25);
    expect((await events('login.failed')).length - before).toBe(5);
  }, 60_000);

  it('per client address too: one address spraying many accounts is stopped', () => {
    const limiter = new LoginLimiter();
    const outcomes = Array.from({ length: 25 }, (_, i) => limiter.begin('203.0.113.9', `user${i}@clinic.test`, 1000));
    expect(outcomes.filter((o) => 'wait' in o)).toHaveLength(5);
  });

  it('the failed-login memory is bounded: 20,000 distinct emails keep at most the cap', () => {
    const limiter = new LoginLimiter();
    for (let i = 0; i < 20_000; i++) limiter.begin(`198.51.100.${i % 250}`, `nobody${i}@example.test`, 1000 + i);
    expect(limiter.size).toBeLessThanOrEqual(MAX_KEYS + 250);
  });

  it('passwords: 12 characters of one letter and common passwords are refused; a user changes their own; an idle session ends after 30 minutes', async () => {
    for (const password of ['aaaaaaaaaaaa', 'Password1234', 'qwertyuiop!!', 'abcabcabcabc']) {
      const res = await http().post('/api/users').set(t.as('admin')).send({ email: `p${password.length}@clinic.test`, name: 'P', role: 'owner', password }).expect(422);
      expect(res.body.errors).toEqual([{ path: 'password', message: expect.stringMatching(/too few different characters|most common/) }]);
    }
    await http().post('/api/me/password').set(t.as('owner')).send({ currentPassword: 'not it at all', newPassword: 'a brand new passphrase' }).expect(403);
    await http().post('/api/me/password').set(t.as('owner')).send({ currentPassword: TEST_PASSWORD, newPassword: 'short' }).expect(422);
    await http().post('/api/me/password').set(t.as('owner')).send({ currentPassword: TEST_PASSWORD, newPassword: 'a brand new passphrase' }).expect(200);
    expect((await events('password.changed')).map((e) => e.subject)).toEqual([t.userIds.owner]);
    t.clock.set(new Date('2026-03-10T20:00:00Z'));
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.owner.email, password: 'a brand new passphrase' }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    t.clock.set(new Date('2026-03-10T20:29:00Z'));
    await http().get('/api/me').set('Cookie', cookie).expect(200);
    t.clock.set(new Date('2026-03-10T20:58:00Z'));
    await http().get('/api/me').set('Cookie', cookie).expect(200); // 29 minutes after its last use
    t.clock.set(new Date('2026-03-10T21:28:01Z'));
    await http().get('/api/me').set('Cookie', cookie).expect(401);
  });

  it('a login for an account that does not exist takes as long as a wrong password (scrypt runs either way)', async () => {
    const time = async (email: string) => {
      const start = process.hrtime.bigint();
      await http().post('/login').type('form').send({ email, password: 'not the password at all' }).expect(401);
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    t.clock.set(new Date('2026-03-10T18:00:00Z'));
    const real: number[] = [];
    const ghost: number[] = [];
    for (let i = 0; i < 3; i++) {
      real.push(await time(TEST_USERS.privacy_officer.email));
      ghost.push(await time(`ghost${i}@clinic.test`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
    expect(median(ghost)).toBeGreaterThan(median(real) * 0.5);
  }, 60_000);
});
