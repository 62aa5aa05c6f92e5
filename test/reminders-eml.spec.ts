import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { instantAt } from '../src/domain/rules/calendar';
import { MailDispatcher } from '../src/reminders/mail-dispatcher.service';
import { ReminderSweeper } from '../src/reminders/reminder-sweeper.service';
import { IncidentClient } from './support/incident-client';
import { startTestApp } from './support/test-app';

describe('reminders without an SMTP server', () => {
  it('writes each message as an owner-only .eml file under the outbox folder', async () => {
    const t = await startTestApp(instantAt('2026-03-02', 8, 'America/Chicago'), { smtpUrl: null, timezone: 'America/Chicago' });
    try {
      const client = new IncidentClient(t.app, t.as('privacy_officer'));
      await client.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 3, byJurisdiction: { MN: 3 } } });
      // Set after the report: the outbox holds the one reminder, not the report's news.
      await client.http().put('/api/settings').set(t.as('admin')).send({ privacyOfficerEmail: 'po@clinic.example' }).expect(200);
      t.clock.set(instantAt('2026-04-01', 10, 'America/Chicago'));
      await t.app.get(ReminderSweeper).sweep(t.clock.now());
      expect(await t.app.get(MailDispatcher).dispatchDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      const files = readdirSync(t.config.outboxDir);
      expect(files).toHaveLength(1);
      const path = join(t.config.outboxDir, files[0]);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const eml = readFileSync(path, 'utf8').replace(/\r?\n[ \t]+/g, ' '); // unfold long headers
      expect(eml).toMatch(/^Message-ID: <[0-9a-f]{40}@breachflow>$/m);
      expect(eml).toContain('Subject: [breachflow] BF-2026-0001: Notice to individuals due in 30 days (2026-05-01)');
      expect(eml).toContain('To: po@clinic.example');
    } finally {
      await t.close();
    }
  });
});

describe('practice settings', () => {
  it('names every bad field and changes nothing', async () => {
    const t = await startTestApp();
    try {
      const client = new IncidentClient(t.app, t.as('privacy_officer'));
      const before = (await client.http().get('/api/settings').expect(200)).body;
      expect(before).toEqual({ practiceName: null, ownerEmail: null, privacyOfficerEmail: null, contact: {}, reminders: { ladderDaysBefore: [30, 14, 7, 3, 1, 0], escalateFromDaysBefore: 7, sendHour: 9, digest: false } });
      const bad = await client.http().put('/api/settings').set(t.as('admin'))
        .send({ practiceName: 'Lakeside', ownerEmail: 'owner at clinic', reminders: { sendHour: 25, ladderDaysBefore: [-1] } }).expect(422);
      expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['ownerEmail', 'reminders.ladderDaysBefore', 'reminders.sendHour']);
      expect((await client.http().get('/api/settings').expect(200)).body).toEqual(before);
      const good = await client.http().put('/api/settings').set(t.as('admin')).send({ practiceName: 'Lakeside', reminders: { ladderDaysBefore: [10, 0], digest: true } }).expect(200);
      expect(good.body).toMatchObject({ practiceName: 'Lakeside', reminders: { ladderDaysBefore: [10, 0], escalateFromDaysBefore: 7, digest: true } });
      await client.anon().put('/api/settings').send({ practiceName: 'x' }).expect(401);
      await client.http().put('/api/settings').send({ practiceName: 'x' }).expect(403); // a privacy officer is not an admin
    } finally {
      await t.close();
    }
  });
});
