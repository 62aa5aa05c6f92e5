import request from 'supertest';
import { DataSource } from 'typeorm';
import { AttachmentRepository } from '../src/attachments/attachment.repository';
import { UsersService } from '../src/auth/users.service';
import { ReminderSweeper } from '../src/reminders/reminder-sweeper.service';
import { PracticeSettingsRepository } from '../src/settings/practice-settings.repository';
import { SettingsService } from '../src/settings/settings.service';
import { testDb } from './support/db';
import { Held, holdFirstCall, overlap as overlapHeld } from './support/hold';
import { IncidentClient } from './support/incident-client';
import { testPgServer } from './support/pg-database';
import { PRACTICE_SETTINGS, startPractice } from './support/practice';
import { TEST_PASSWORD, TestApp } from './support/test-app';

/**
 * Two changes at the same moment on PostgreSQL (two requests, or two instances), each of which reads
 * rows and writes what it computed from them: a review found these answering from what the other had
 * not committed yet. In each test the first change is held open inside its transaction by wrapping
 * one of the app's own repository methods (nothing replaced) until the second waits on a lock, then
 * let go. On SQLite the one writer runs such changes one after the other by construction.
 */

const onPostgres = testPgServer() ? describe : describe.skip;
const FACTS = { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 3, byJurisdiction: { NY: 3 } } };

onPostgres('changes at the same moment on PostgreSQL', () => {
  let t: TestApp;
  let po: IncidentClient;
  beforeAll(async () => { ({ t, po } = await startPractice(new Date('2026-03-10T15:00:00Z'), PRACTICE_SETTINGS)); }, 60_000);
  afterAll(() => t?.close());
  const http = () => request(t.app.getHttpServer());

  const overlap = <A, B>(held: Held, first: () => Promise<A>, second: () => Promise<B>) => overlapHeld(t.app.get(DataSource), held, first, second);

  it('two partial settings saves at once: each keeps the other\'s field', async () => {
    const settings = () => http().put('/api/settings').set(t.as('admin'));
    const { waited, a, b } = await overlap(holdFirstCall(t.app.get(PracticeSettingsRepository), 'save'),
      () => settings().send({ practiceName: 'Lakeside Family Medicine of Albany' }).then((r) => r),
      () => settings().send({ ownerEmail: 'owner@lakeside.example' }).then((r) => r));
    expect(waited).toBe(1);
    expect([a.status, b.status]).toEqual([200, 200]);
    // Without the lock the second merged into what it read before the first committed, and wrote the old name back.
    expect((await settings().send({}).expect(200)).body).toMatchObject({ practiceName: 'Lakeside Family Medicine of Albany', ownerEmail: 'owner@lakeside.example', contact: PRACTICE_SETTINGS.contact });
  });

  it('a breach reported while the reminder ladder changes gets its reminders from the new ladder', async () => {
    // The settings change is held after it read the open incidents: one reported now is not among them.
    const { waited, a, b } = await overlap(holdFirstCall(t.app.get(SettingsService)['incidents'], 'openSnapshots'),
      () => http().put('/api/settings').set(t.as('admin')).send({ reminders: { ladderDaysBefore: [10, 0] } }).then((r) => r),
      () => po.report(FACTS));
    expect(waited).toBe(1);
    expect(a.status).toBe(200);
    const rows = await testDb(t.config).all<{ days_left: number }>('SELECT "days_left" FROM "reminder" WHERE "incident_id" = $1 AND "kind" = $2', [b.id, 'before']);
    expect(rows.length).toBeGreaterThan(0);
    // Without the lock the report read the old ladder (30, 14, 7, 3 and 1 days before) and the settings change never saw it.
    expect(new Set(rows.map((r) => Number(r.days_left)))).toEqual(new Set([10]));
  });

  it('a reminder sweep during a settings change sends to whom the new settings name', async () => {
    const id = (await po.report(FACTS)).id;
    const counsel = 'counsel@lakeside.example';
    // Back to the default ladder (config/reminders.json) after the test above changed it.
    await http().put('/api/settings').set(t.as('admin')).send({ reminders: { ladderDaysBefore: t.config.reminders.settings.ladderDaysBefore } }).expect(200);
    // 2026-04-01, 7 p.m. in New York: the individuals' notice (due 2026-05-01) is 30 days off, a reminder is due.
    const { waited, a, b } = await overlap(holdFirstCall(t.app.get(SettingsService)['incidents'], 'openSnapshots'),
      () => http().put('/api/settings').set(t.as('admin')).send({ copyTo: { reminder: [counsel] } }).then((r) => r),
      () => t.app.get(ReminderSweeper).sweep(new Date('2026-04-01T23:00:00Z')));
    expect(waited).toBe(1);
    expect(a.status).toBe(200);
    expect(b).toBeGreaterThan(0);
    // This incident's reminders: their keys start with it (ReminderSweeper's `reminder:<incident>:...`).
    const rows = await testDb(t.config).all<{ recipient: string }>('SELECT "recipient" FROM "outbox" WHERE "idempotency_key" LIKE $1', [`reminder:${id}:%`]);
    // Without the settings lock the sweep did not wait: it read the settings from before the change, and counsel was not copied.
    expect(rows.map((r) => r.recipient)).toContain(counsel);
  });

  it('two files attached to one incident at once are numbered 1 and 2', async () => {
    const id = (await po.report(FACTS)).id;
    const upload = (name: string) => http().post(`/api/incidents/${id}/attachments`).set(t.as('privacy_officer'))
      .set({ 'Content-Type': 'application/pdf', 'X-Attachment-Kind': 'forensic_report', 'X-Attachment-Description': 'imaging', 'X-File-Name': name })
      .send(Buffer.from('%PDF-1.4\n%%EOF\n')).then((r) => r);
    const { waited, a, b } = await overlap(holdFirstCall(t.app.get(AttachmentRepository), 'nextNumber'), () => upload('one.pdf'), () => upload('two.pdf'));
    expect(waited).toBe(1);
    // Without the incident's lock both read number 1 and the second broke the (incident, number) key: a 500.
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.number, b.body.number]).toEqual([1, 2]);
  });
  it('two users added at once with one email: one is added, the other refused', async () => {
    const add = () => http().post('/api/users').set(t.as('admin')).send({ email: 'same@clinic.test', name: 'Same Person', roles: ['auditor'], password: TEST_PASSWORD }).then((r) => r);
    const { waited, a, b } = await overlap(holdFirstCall(t.app.get(UsersService)['usersRepo'], 'insert'), add, add);
    expect(waited).toBe(1);
    // Without the lock both found no such user, and the second insert broke the email's unique index: a 500.
    expect([a.status, b.status]).toEqual([201, 409]);
    expect(b.body.errors).toEqual([{ path: 'email', message: 'a user with this email exists already' }]);
  });

  // Last: the seeded admin's token is an auditor's after it.
  it('two administrators each removing the other\'s admin role at once: one is refused, one admin is left', async () => {
    const second = (await http().post('/api/users').set(t.as('admin')).send({ email: 'second-admin@clinic.test', name: 'Second Admin', roles: ['admin'], password: TEST_PASSWORD }).expect(201)).body;
    const roles = (id: string) => http().put(`/api/users/${id}/roles`).set(t.as('admin')).send({ roles: ['auditor'] }).then((r) => r);
    const users = t.app.get(UsersService);
    const { waited, a, b } = await overlap(holdFirstCall(users['usersRepo'], 'setPrimaryRole'), () => roles(t.userIds.admin), () => roles(second.id));
    expect(waited).toBe(1);
    expect(a.status).toBe(200);
    expect(b.status).toBe(409);
    expect(b.body.errors[0]).toMatchObject({ path: 'roles', message: expect.stringContaining('last active administrator') });
    const admins = (await users.list()).filter((u) => u.roles.includes('admin') && !u.disabled);
    expect(admins.map((u) => u.id)).toEqual([second.id]);
  });
});
