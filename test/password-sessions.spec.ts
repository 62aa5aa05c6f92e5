import request from 'supertest';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/** Issue 12 (low, doubtful item): changing a password ends the user's other sessions, keeps the one that changed it. */
describe('a password change ends the other sessions', () => {
  let t: TestApp;
  beforeAll(async () => { t = await startTestApp(new Date('2026-03-10T15:00:00Z')); });
  afterAll(() => t.close());

  const http = () => request(t.app.getHttpServer());
  async function login(email: string, password: string): Promise<{ cookie: string; csrf: string }> {
    const res = await http().post('/login').type('form').send({ email, password }).expect(303);
    const cookie = (res.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = await http().get('/incidents').set('Cookie', cookie).expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    return { cookie, csrf };
  }

  it('from a session: that session goes on, the others end; audited with how many ended', async () => {
    const email = TEST_USERS.privacy_officer.email;
    const a = await login(email, TEST_PASSWORD);
    const b = await login(email, TEST_PASSWORD);
    await http().get('/api/me').set('Cookie', b.cookie).expect(200);
    await http().post('/api/me/password').set('Cookie', a.cookie).set('X-CSRF-Token', a.csrf).send({ currentPassword: TEST_PASSWORD, newPassword: 'a fresh passphrase for po' }).expect(200);
    await http().get('/api/me').set('Cookie', a.cookie).expect(200);
    await http().get('/api/me').set('Cookie', b.cookie).expect(401);
    const events = (await http().get('/api/audit/access?type=password.changed').set(t.as('admin')).expect(200)).body;
    expect(events[0]).toMatchObject({ subject: t.userIds.privacy_officer, detail: { otherSessionsEnded: 1 } });
  });

  it('from an API token: every session of the user ends', async () => {
    const c = await login(TEST_USERS.auditor.email, TEST_PASSWORD);
    await http().post('/api/me/password').set(t.as('auditor')).send({ currentPassword: TEST_PASSWORD, newPassword: 'a fresh passphrase for au' }).expect(200);
    await http().get('/api/me').set('Cookie', c.cookie).expect(401);
    await http().get('/api/me').set(t.as('auditor')).expect(200);
  });
});
