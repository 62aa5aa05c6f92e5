import { instantAt } from '../src/domain/rules/calendar';
import { MailDispatcher } from '../src/reminders/mail-dispatcher.service';
import { ReminderSweeper } from '../src/reminders/reminder-sweeper.service';
import { IncidentClient } from './support/incident-client';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Nobody left uninformed, over a real SMTP server: a report is told at once to the privacy officer,
 * the owner (copied) and whoever the settings name for reports; a re-plan that adds deadlines is
 * told to those named for re-plans; each message arrives once, and carries no patient information.
 */
const ZONE = 'America/Chicago';
const PO = 'privacy@clinic.example';
const OWNER = 'owner@clinic.example';

describe('the news of a report and of a re-plan', () => {
  let sink: SmtpSink;
  let t: TestApp;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp(instantAt('2026-03-02', 10, ZONE), { smtpUrl: sink.url, timezone: ZONE, publicUrl: 'https://breachflow.lakeside.example' });
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const dispatch = async () => {
    for (let i = 0; i < 2; i++) await t.app.get(MailDispatcher).dispatchDue();
  };

  it('arrives once per person, at once, with the first deadline and the link, and no patient information', async () => {
    const client = new IncidentClient(t.app, t.as('owner'));
    await client.http().put('/api/settings').set(t.as('admin')).send({
      practiceName: 'Lakeside Dental', ownerEmail: OWNER, privacyOfficerEmail: PO,
      copyTo: { reported: ['counsel@law.example'], replanned: ['it@vendor.example'] },
    }).expect(200);
    const inc = await client.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'MN' }, affected: { total: 40, byJurisdiction: { MN: 40 } } }, 'Jane Roe\'s chart and 39 others left on a bus');
    await dispatch();
    await dispatch();
    expect(sink.received.map((m) => m.to).sort()).toEqual(['counsel@law.example', OWNER, PO]);
    const subject = '[breachflow] BF-2026-0001 reported: first deadline 2026-05-01 (Notice to individuals)';
    expect(new Set(sink.received.map((m) => m.subject))).toEqual(new Set([subject]));
    const po = sink.received.find((m) => m.to === PO)!;
    expect(po.text).toContain('A suspected breach was reported: incident BF-2026-0001 at Lakeside Dental.');
    expect(po.text).toContain('About 40 people affected (Minnesota 40).');
    expect(po.text).toContain('First deadline: Notice to individuals, 2026-05-01');
    expect(po.text).toContain('Rule: 45 CFR 164.404(b)');
    expect(po.text).toContain(`Open the incident: https://breachflow.lakeside.example/incidents/${inc.id}`);
    expect(po.text).not.toContain('You are copied');
    expect(sink.received.find((m) => m.to === OWNER)!.text).toContain('You are copied as the practice owner.');
    for (const m of sink.received) expect(`${m.subject}${m.text}${m.html}`).not.toMatch(/Jane|Roe|bus/);
    const trail = (await client.http().get(`/api/incidents/${inc.id}/events`).expect(200)).body as { type: string }[];
    expect(trail.filter((e) => e.type === 'news.sent')).toHaveLength(3);

    // A step that changes no deadline tells nobody; a re-plan that adds deadlines tells those named for re-plans.
    sink.received.length = 0;
    const po2 = new IncidentClient(t.app, t.as('privacy_officer'));
    await po2.walk(inc.id, [{ type: 'triage.started' }]);
    await dispatch();
    expect(sink.received).toEqual([]);
    await po2.walk(inc.id, [{ type: 'facts.updated', reason: 'The full count came in', changes: { affected: { total: 650, byJurisdiction: { MN: 650 } } } }]);
    await dispatch();
    await dispatch();
    expect(sink.received.map((m) => m.to).sort()).toEqual(['it@vendor.example', OWNER, PO]);
    const news = sink.received.find((m) => m.to === PO)!;
    expect(news.subject).toMatch(/^\[breachflow\] BF-2026-0001: \d+ deadlines are new or earlier \(first 2026-05-01\)$/);
    expect(news.text).toContain('HHS breach report: due 2026-05-01 (moved earlier, from 2027-03-01)');
    expect(news.text).toContain('Media notice (MN): due 2026-05-01 (new)');
    expect(news.text).toContain('Rule: 45 CFR 164.406');
  });

  it('names who else gets the deadline reminders (copyTo.reminder)', async () => {
    await new IncidentClient(t.app, t.as('admin')).http().put('/api/settings').send({ copyTo: { reminder: ['counsel@law.example'] } }).expect(200);
    sink.received.length = 0;
    t.clock.set(new Date(instantAt('2026-04-24', 9, ZONE).getTime() + 30 * 60_000));
    await t.app.get(ReminderSweeper).sweep(t.clock.now());
    await dispatch();
    const to = sink.received.filter((m) => m.subject.includes('due in 7 days')).map((m) => m.to);
    expect(to).toContain('counsel@law.example');
    expect(to).toContain(PO);
    // The other kinds keep their own lists.
    expect((await new IncidentClient(t.app, t.as('admin')).http().get('/api/settings').expect(200)).body.copyTo).toEqual({ reported: ['counsel@law.example'], replanned: ['it@vendor.example'], reminder: ['counsel@law.example'] });
  });
});
