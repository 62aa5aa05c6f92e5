import request from 'supertest';
import { UsersService } from '../src/auth/users.service';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';
import { storedBytes, testDb } from './support/db';

/** Login rate limit, session expiry, token revocation, and what is stored of secrets. */
describe('accounts', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(new Date('2026-03-10T15:00:00Z')); });
  afterAll(() => t.close());
  const http = () => request(t.app.getHttpServer());
  const login = (email: string, password: string) => http().post('/login').type('form').send({ email, password });

  it('rate-limits failed logins per address and account, then lets the right password in after the window', async () => {
    for (let i = 0; i < 5; i++) expect((await login(TEST_USERS.owner.email, 'wrong password!!')).status).toBe(401);
    const blocked = await login(TEST_USERS.owner.email, TEST_PASSWORD);
    expect(blocked.status).toBe(429);
    expect(blocked.text).toContain('too many failed attempts; try again in 15 minutes');
    expect((await login(TEST_USERS.auditor.email, TEST_PASSWORD)).status).toBe(303); // another account is not blocked
    t.clock.set(new Date('2026-03-10T15:16:00Z'));
    expect((await login(TEST_USERS.owner.email, TEST_PASSWORD)).status).toBe(303);
  });

  it('a session ends after 12 hours; logging out ends it at once', async () => {
    t.clock.set(new Date('2026-03-10T16:00:00Z'));
    const res = await login(TEST_USERS.auditor.email, TEST_PASSWORD).expect(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    await http().get('/api/me').set('Cookie', cookie).expect(200);
    t.clock.set(new Date('2026-03-11T04:01:00Z'));
    await http().get('/api/me').set('Cookie', cookie).expect(401);
    t.clock.set(new Date('2026-03-11T05:00:00Z'));
    const again = await login(TEST_USERS.auditor.email, TEST_PASSWORD).expect(303);
    const c2 = (again.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = await http().get('/incidents').set('Cookie', c2).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    await http().post('/logout').set('Cookie', c2).type('form').send({ _csrf: csrf }).expect(303);
    await http().get('/api/me').set('Cookie', c2).expect(401);
  });

  it('a disabled user\'s API tokens stop working', async () => {
    const user = await http().post('/api/users').set(t.as('admin')).send({ email: 'temp@clinic.test', name: 'Temp', role: 'owner', password: TEST_PASSWORD }).expect(201);
    const { token } = await t.app.get(UsersService).createToken(user.body.id, 'script');
    await http().get('/api/me').set('Authorization', `Bearer ${token}`).expect(200);
    await http().post(`/api/users/${user.body.id}/disable`).set(t.as('admin')).expect(201);
    await http().get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
  });

  it('names every bad field of a new user, and refuses a duplicate email', async () => {
    const bad = await http().post('/api/users').set(t.as('admin')).send({ email: 'nope', name: '', role: 'boss', password: 'short' }).expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['email', 'name', 'role', 'password']);
    await http().post('/api/users').set(t.as('admin')).send({ email: TEST_USERS.owner.email.toUpperCase(), name: 'Dup', role: 'owner', password: TEST_PASSWORD }).expect(409);
  });

  it('stores passwords as scrypt and tokens and sessions only as hashes', async () => {
    const users = await testDb(t.config).all<{ password_hash: string }>('SELECT "password_hash" FROM "user"');
    expect(users.every((u) => /^scrypt\$32768\$8\$1\$/.test(u.password_hash))).toBe(true);
    const bearer = t.as('privacy_officer').Authorization.slice('Bearer '.length);
    // SQLite: the file and its WAL; PostgreSQL: a pg_dump of every row (test/support/db.ts).
    const bytes = storedBytes(t.config).map((b) => b.toString('latin1')).join('');
    expect(bytes).toContain(users[0].password_hash); // the search sees the rows themselves
    expect(bytes.includes(bearer)).toBe(false);
    expect(bytes.includes(TEST_PASSWORD)).toBe(false);
  });
});
