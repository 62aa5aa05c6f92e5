import { addDays, instantAt } from '../src/domain/rules/calendar';
import { MailDispatcher } from '../src/reminders/mail-dispatcher.service';
import { ReminderSweeper } from '../src/reminders/reminder-sweeper.service';
import { IncidentClient } from './support/incident-client';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Deadline reminders through a real SMTP server, with the clock stepped a day at a time through
 * 70 days of one incident, in the practice's zone (America/Chicago), sent at 09:00.
 */

const ZONE = 'America/Chicago';
const PO = 'privacy@clinic.example';
const OWNER = 'owner@clinic.example';
const FACTS = {
  discovery: { date: '2026-03-02' },
  entity: { type: 'covered_entity', state: 'MN' },
  affected: { total: 100, byJurisdiction: { MN: 100 }, insufficientContact: 0 },
};

/** The news of a report or a re-plan (src/notify), sent beside the reminders: these tests count reminders. */
const NEWS = / reported: first deadline | new or earlier /;
const reminders = (sink: SmtpSink) => sink.received.filter((m) => !NEWS.test(m.subject));
const REPORTED = '[breachflow] BF-2026-0001 reported: first deadline 2026-05-01 (Notice to individuals)';

/** Sends the news of the reports made so far, so what follows counts reminders only. */
async function drainNews(t: TestApp, sink: SmtpSink): Promise<void> {
  await t.app.get(MailDispatcher).dispatchDue();
  sink.received.length = 0;
}

async function setup(sink: SmtpSink, digest = false): Promise<{ t: TestApp; client: IncidentClient }> {
  const t = await startTestApp(instantAt('2026-03-02', 8, ZONE), { smtpUrl: sink.url, timezone: ZONE });
  const client = new IncidentClient(t.app, t.as('privacy_officer'));
  await client.http().put('/api/settings').set(t.as('admin')).send({
    practiceName: 'Lakeside Dental', ownerEmail: OWNER, privacyOfficerEmail: PO, ...(digest ? { reminders: { digest: true } } : {}),
  }).expect(200);
  return { t, client };
}

async function runDay(t: TestApp, day: string): Promise<void> {
  t.clock.set(instantAt(day, 9, ZONE));
  t.clock.set(new Date(t.clock.now().getTime() + 30 * 60_000));
  // Twice, as a timer would: the second finds nothing new.
  for (let i = 0; i < 2; i++) {
    await t.app.get(ReminderSweeper).sweep(t.clock.now());
    await t.app.get(MailDispatcher).dispatchDue();
  }
}

describe('deadline reminders over SMTP', () => {
  let sink: SmtpSink;
  beforeEach(async () => {
    sink = await new SmtpSink().start();
  });
  afterEach(() => sink.stop());

  it('sends exactly the expected emails on the expected days to the expected people, and stops when done', async () => {
    const { t, client } = await setup(sink);
    try {
      const inc = await client.report(FACTS, 'Appointment book left on a bus');
      await client.walk(inc.id, [{ type: 'incident.accepted' }, { type: 'insurance.policyRecorded', carrier: 'Example Mutual', noticeWindowDays: 3 }]);
      const byDay: Record<string, string[]> = {};
      for (let d = 0; d < 70; d++) {
        const day = addDays('2026-03-02', d);
        t.clock.set(instantAt(day, 8, ZONE));
        if (day === '2026-03-03') await client.walk(inc.id, [{ type: 'insurance.noticeGiven', on: day, method: 'letter' }]);
        if (day === '2026-05-05') {
          await client.walk(inc.id, [{ type: 'containment.itemResolved', item: 'stop_exposure', status: 'done' }]);
          await client.walk(inc.id, [
            ...['preserve_evidence', 'reset_credentials', 'engage_forensics', 'call_insurer_hotline'].map((item) => ({ type: 'containment.itemResolved', item, status: 'done' })),
            { type: 'containment.completed' }, { type: 'safeHarbor.assessed' }, { type: 'assessment.skipped', reason: 'Notify' },
            { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: day, method: 'first-class mail', count: 100 },
          ]);
        }
        const before = sink.received.length;
        await runDay(t, day);
        const today = sink.received.slice(before);
        if (today.length) byDay[day] = today.map((m) => `${m.to}: ${m.subject.replace('[breachflow] BF-2026-0001: ', '')}`).sort();
      }
      const both = (s: string) => [`${OWNER}: ${s}`, `${PO}: ${s}`];
      expect(byDay).toEqual({
        // The report itself is told at once (the news), then the insurer's window is reminded.
        '2026-03-02': [`${OWNER}: Notice to the insurer due in 3 days (2026-03-05)`, `${OWNER}: ${REPORTED}`, `${PO}: Notice to the insurer due in 3 days (2026-03-05)`, `${PO}: ${REPORTED}`],
        '2026-04-01': [`${PO}: Notice to individuals due in 30 days (2026-05-01)`],
        '2026-04-17': [`${PO}: Notice to individuals due in 14 days (2026-05-01)`],
        '2026-04-24': both('Notice to individuals due in 7 days (2026-05-01)'),
        '2026-04-28': both('Notice to individuals due in 3 days (2026-05-01)'),
        '2026-04-30': both('Notice to individuals due in 1 day (2026-05-01)'),
        '2026-05-01': both('Notice to individuals due today (2026-05-01)'),
        '2026-05-02': both('Notice to individuals overdue by 1 day (2026-05-01)'),
        '2026-05-03': both('Notice to individuals overdue by 2 days (2026-05-01)'),
        '2026-05-04': both('Notice to individuals overdue by 3 days (2026-05-01)'),
      });
      expect(new Set(sink.received.map((m) => m.messageId)).size).toBe(sink.received.length);

      const mail = sink.received.find((m) => m.to === OWNER && m.subject.includes('due in 7 days'))!;
      expect(mail.text).toContain('You are copied as the practice owner');
      expect(mail.text).toContain('Why: 100 individuals affected: each must receive written notice');
      expect(mail.text).toContain('Rule: 45 CFR 164.404(b), (d)(1)');
      expect(mail.text).toContain('Next step: Mail the notice letters first-class');
      expect(mail.text).toContain(`/incidents/${inc.id}`);
      expect(mail.text).not.toContain(`/api/incidents/${inc.id}`);
      expect(mail.html).toContain('<strong>Why:</strong>');
      expect(sink.received.find((m) => m.to === PO && m.subject.includes('due in 7 days'))!.text).not.toContain('copied as the practice owner');

      const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
      expect(trail.filter((e: { type: string }) => e.type === 'reminder.sent')).toHaveLength(sink.received.length - 2);
      expect(trail.filter((e: { type: string }) => e.type === 'news.sent')).toHaveLength(2);
      expect((await client.http().get('/api/audit/verify').expect(200)).body.intact).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('moves reminders with the date (a law-enforcement hold) and sends nothing for a closed incident', async () => {
    const { t, client } = await setup(sink);
    try {
      const held = await client.report(FACTS);
      await client.walk(held.id, [{ type: 'incident.accepted' }, { type: 'hold.placed', statement: 'written', receivedOn: '2026-03-02', delayUntil: '2026-06-01' }]);
      const closed = await client.report(FACTS);
      await client.walk(closed.id, [{ type: 'incident.dismissed', reason: 'No PHI: staff schedules' }]);
      await runDay(t, '2026-04-24');
      expect(reminders(sink)).toEqual([]);
      await runDay(t, '2026-05-02');
      expect(reminders(sink).map((m) => m.subject)).toEqual([`[breachflow] BF-2026-0001: Notice to individuals due in 30 days (2026-06-01)`]);
    } finally {
      await t.close();
    }
  });

  it('after a gap with no sweep, sends only the latest reminder, dated from today', async () => {
    const { t, client } = await setup(sink);
    try {
      await client.report(FACTS);
      await runDay(t, '2026-04-25');
      expect(reminders(sink).map((m) => [m.to, m.subject]).sort()).toEqual([
        [OWNER, '[breachflow] BF-2026-0001: Notice to individuals due in 6 days (2026-05-01)'],
        [PO, '[breachflow] BF-2026-0001: Notice to individuals due in 6 days (2026-05-01)'],
      ]);
    } finally {
      await t.close();
    }
  });

  it('a digest sends one email a day per recipient listing everything due', async () => {
    const { t, client } = await setup(sink, true);
    try {
      for (let i = 0; i < 3; i++) await client.report(FACTS);
      await drainNews(t, sink);
      await runDay(t, '2026-04-24');
      expect(sink.received.map((m) => [m.to, m.subject]).sort()).toEqual([
        [OWNER, '[breachflow] 3 breach deadlines to act on (2026-04-24)'],
        [PO, '[breachflow] 3 breach deadlines to act on (2026-04-24)'],
      ]);
      expect(sink.received[0].text.match(/== Incident BF-2026-000\d/g)).toHaveLength(3);
    } finally {
      await t.close();
    }
  });
});

describe('when the SMTP server refuses or is down', () => {
  it('retries with backoff, loses nothing, and shows the trouble on the incident', async () => {
    const sink = await new SmtpSink().start();
    const { t, client } = await setup(sink);
    try {
      const inc = await client.report(FACTS);
      await drainNews(t, sink);
      sink.options.failNext = 2;
      t.clock.set(instantAt('2026-04-01', 9, ZONE));
      await t.app.get(ReminderSweeper).sweep(t.clock.now());
      const dispatcher = t.app.get(MailDispatcher);
      expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      const waiting = (await client.http().get(`/api/incidents/${inc.id}`).expect(200)).body.deliveries;
      expect(waiting.waiting).toEqual([expect.objectContaining({ recipient: PO, attempts: 1, error: expect.stringMatching(/^451/), nextAttemptAt: '2026-04-01T14:01:00.000Z' })]);
      expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, retrying: 0, failed: 0 }); // not before the backoff
      t.clock.set(new Date('2026-04-01T14:01:00Z'));
      expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      t.clock.set(new Date('2026-04-01T14:06:00Z'));
      expect(await dispatcher.dispatchDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(sink.received).toHaveLength(1);

      // Down: connection refused, then back on the same port.
      await sink.stop();
      t.clock.set(instantAt('2026-04-17', 9, ZONE));
      await t.app.get(ReminderSweeper).sweep(t.clock.now());
      expect(await dispatcher.dispatchDue()).toEqual({ sent: 0, retrying: 1, failed: 0 });
      await sink.start(sink.port);
      t.clock.set(new Date(t.clock.now().getTime() + 60_000));
      expect(await dispatcher.dispatchDue()).toEqual({ sent: 1, retrying: 0, failed: 0 });
      expect(sink.received.map((m) => m.subject)).toEqual([
        '[breachflow] BF-2026-0001: Notice to individuals due in 30 days (2026-05-01)',
        '[breachflow] BF-2026-0001: Notice to individuals due in 14 days (2026-05-01)',
      ]);
      expect((await client.http().get(`/api/incidents/${inc.id}`).expect(200)).body.deliveries).toEqual({ sent: 4, waiting: [], failed: [] }); // 2 reminders, and the report's news to 2 people
    } finally {
      await t.close();
      await sink.stop();
    }
  });

  it('marks a permanently bad address failed and reports it, without retrying forever', async () => {
    const sink = await new SmtpSink({ refuse: [PO] }).start();
    const { t, client } = await setup(sink);
    try {
      const inc = await client.report(FACTS);
      await drainNews(t, sink); // the news to PO fails for good too
      t.clock.set(instantAt('2026-04-24', 9, ZONE));
      await t.app.get(ReminderSweeper).sweep(t.clock.now());
      expect(await t.app.get(MailDispatcher).dispatchDue()).toEqual({ sent: 1, retrying: 0, failed: 1 });
      t.clock.set(instantAt('2026-04-24', 23, ZONE));
      expect(await t.app.get(MailDispatcher).dispatchDue()).toEqual({ sent: 0, retrying: 0, failed: 0 });
      expect(sink.received.map((m) => m.to)).toEqual([OWNER]);
      const view = (await client.http().get(`/api/incidents/${inc.id}`).expect(200)).body;
      expect(view.deliveries.failed).toEqual([0, 1].map(() => expect.objectContaining({ recipient: PO, attempts: 1, error: expect.stringMatching(/^550/) })));
      const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body;
      expect(trail.filter((e: { type: string }) => e.type === 'reminder.failed').map((e: { payload: { recipient: string } }) => e.payload.recipient)).toEqual([PO]);
    } finally {
      await t.close();
      await sink.stop();
    }
  });
});
