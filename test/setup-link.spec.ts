import { DataSource } from 'typeorm';
import { AuditService } from '../src/audit/audit.service';
import { SetupService } from '../src/auth/setup.service';
import { UsersService } from '../src/auth/users.service';
import { holdFirstCall } from './support/hold';
import { testPgServer, untilLockWaiter } from './support/pg-database';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The first admin's setup link is used once. Two uses at the same moment (a double-submitted form,
 * or two instances on PostgreSQL) create one admin: the link is spent in one conditional statement
 * before the user is inserted, so the second finds it gone. Runs on either engine.
 */
describe('the setup link', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'), {}, { seedUsers: false });
  });
  afterAll(() => t?.close());

  it('used twice at once: one first admin, the other refused, and the link is spent', async () => {
    const setup = t.app.get(SetupService);
    const secret = (await setup.setupSecret())!;
    expect(await setup.setupValid(secret)).toBe(true);
    const outcomes = await Promise.allSettled([
      setup.completeSetup(secret, { name: 'First Admin', email: 'pat@clinic.test', password: 'a long first passphrase' }),
      setup.completeSetup(secret, { name: 'Second Admin', email: 'lee@clinic.test', password: 'a long second passphrase' }),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as { getStatus(): number }).getStatus()).toBe(403);
    const [admin] = await t.app.get(UsersService).list();
    expect(await t.app.get(UsersService).list()).toHaveLength(1);
    expect(await setup.setupValid(secret)).toBe(false);
    // The first admin is in the access trail like every other user added.
    expect(await t.app.get(AuditService).accessEvents({ type: 'user.created', limit: 10 })).toEqual([expect.objectContaining({ actor: 'breachflow (setup link)', subject: admin.id })]);
  });

  // PostgreSQL: the first use held open after inserting its admin (by wrapping the service's own
  // insert) until the second waits on the link's row, or has finished without waiting. Without the
  // link spent first, the second saw it still there and no user yet, and made a second first admin.
  (testPgServer() ? it : it.skip)('on PostgreSQL, the second use waits for the first and is refused', async () => {
    const other = await startTestApp(new Date('2026-03-10T15:00:00Z'), {}, { seedUsers: false });
    try {
      const setup = other.app.get(SetupService);
      const users = other.app.get(UsersService);
      const secret = (await setup.setupSecret())!;
      const insert = holdFirstCall(users, 'addIn');
      try {
        const first = setup.completeSetup(secret, { name: 'First Admin', email: 'pat@clinic.test', password: 'a long first passphrase' });
        await insert.reached;
        let secondDone = false;
        const second = setup.completeSetup(secret, { name: 'Second Admin', email: 'lee@clinic.test', password: 'a long second passphrase' }).finally(() => { secondDone = true; });
        second.catch(() => undefined);
        await untilLockWaiter(other.app.get(DataSource), () => secondDone);
        insert.release();
        const outcomes = await Promise.allSettled([first, second]);
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
        expect(await users.list()).toHaveLength(1);
      } finally {
        insert.restore();
      }
    } finally {
      await other.close();
    }
  }, 60_000);

  it('a wrong secret is refused', async () => {
    await expect(t.app.get(SetupService).completeSetup('not the secret', { name: 'X', email: 'x@clinic.test', password: 'a long third passphrase' })).rejects.toMatchObject({ status: 403 });
  });
});
