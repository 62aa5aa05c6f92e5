import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { LettersService } from '../src/letters/letters.service';
import { MailDispatcher } from '../src/reminders/mail-dispatcher.service';
import { LeaseService } from '../src/jobs/lease.service';
import { emlName, RetentionService } from '../src/retention/retention.service';
import { SettingsService } from '../src/settings/settings.service';
import { testDb } from './support/db';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { ServerProcess, startServer } from './support/server-process';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * Issue 12 (low): a retention setting for letters and .eml files. Off by default; once set, a run
 * past it removes the letter PDFs, the manifest and the patients' .eml copies, keeps their SHA-256,
 * the counts and the proof (164.530(j)), and records the removal in the audit trail.
 */
describe('retention of letter files and patients\' .eml copies', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  let batchId: string;
  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'), { smtpUrl: null });
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    await po.http().put('/api/settings').set(t.as('admin')).send({ practiceName: 'Lakeside', contact: { tollFreePhone: '1-800-555-0100', website: 'https://lakeside.example', email: 'privacy@lakeside.example' } }).expect(200);
    id = (await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 2, byJurisdiction: { NY: 2 } } })).id;
    await po.walk(id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'paper' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('x') }]);
    await po.http().put(`/api/incidents/${id}/notice-content`).send({ whatHappened: 'Lost charts.', breachDates: 'unknown', phiTypes: ['name'], stepsForIndividuals: 'Watch your mail.', whatWeAreDoing: 'Training.' }).expect(200);
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv')
      .send('name,state,address1,city,postal_code,email,email_consent\nZebulon Quackenbush,NY,1 Main St,Albany,12207,,\nWinifred Oyelaran,NY,2 Main St,Albany,12207,winifred@mail.example,yes\n').expect(200);
    batchId = (await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body.id;
    await t.app.get(LettersService).settle();
    await po.http().post(`/api/incidents/${id}/letter-batches/${batchId}/sent`).send({ sentOn: '2026-03-10' }).expect(200);
    await t.app.get(MailDispatcher).dispatchDue();
  }, 90_000);
  afterAll(() => t.close());

  const patientEml = async () => {
    const [row] = await testDb(t.config).all<{ message_id: string }>('SELECT "message_id" FROM "outbox" WHERE "sealed" IS NOT NULL');
    return join(t.config.outboxDir, emlName(row.message_id));
  };

  it('keeps everything by default, and refuses a bad setting naming the field', async () => {
    expect((await po.http().post('/api/retention/purge').set(t.as('admin')).expect(200)).body).toEqual({ ran: true, batches: 0, letterFiles: 0, emlFiles: 0 });
    expect(existsSync(join(t.config.lettersDir, batchId, 'manifest.csv'))).toBe(true);
    expect(existsSync(await patientEml())).toBe(true);
    const bad = await po.http().put('/api/settings').set(t.as('admin')).send({ retention: { letterFilesDays: 5, emlFilesDays: 'soon' } }).expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['retention.letterFilesDays', 'retention.emlFilesDays']);
    await po.http().post('/api/retention/purge').set(t.as('owner')).expect(403);
    await po.http().post('/api/retention/purge').set(t.as('auditor')).expect(403);
  });

  it('past the setting: the files go, their hashes, the counts, the proof and the trail stay', async () => {
    const saved = await po.http().put('/api/settings').set(t.as('admin')).send({ retention: { letterFilesDays: 30, emlFilesDays: 30 } }).expect(200);
    expect(saved.body.retention).toEqual({ letterFilesDays: 30, emlFilesDays: 30 });
    // Not yet: 30 days have not passed since the mailing.
    expect((await po.http().post('/api/retention/purge').set(t.as('admin')).expect(200)).body).toMatchObject({ batches: 0, emlFiles: 0 });

    const files = readdirSync(join(t.config.lettersDir, batchId)).sort();
    const eml = await patientEml();
    expect(readFileSync(eml, 'utf8')).toContain('Winifred');
    t.clock.set(new Date('2026-04-20T15:00:00Z'));
    const report = (await po.http().post('/api/retention/purge').set(t.as('privacy_officer')).expect(200)).body;
    expect(report).toEqual({ ran: true, batches: 1, letterFiles: files.length, emlFiles: 1 });
    expect(existsSync(join(t.config.lettersDir, batchId))).toBe(false);
    expect(existsSync(eml)).toBe(false);

    const batch = (await po.http().get(`/api/incidents/${id}/letter-batches/${batchId}`).expect(200)).body;
    expect(batch).toMatchObject({ sentOn: '2026-03-10', letters: 1, emails: 1 });
    // A removed file is gone, and says so (never a 500 from a missing file).
    const gone = await po.http().get(`/api/incidents/${id}/letter-batches/${batchId}/files/manifest.csv`).expect(410);
    expect(gone.body.errors[0].message).toContain('retention setting');
    const inc = (await po.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(inc.obligations.find((o: { key: string }) => o.key === 'HIPAA/individuals')).toMatchObject({ status: 'done', proof: { sentOn: '2026-03-10', count: 2 } });
    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { type: string; actor: string; payload: Record<string, any> }[];
    const removed = events.find((e) => e.type === 'retention.letterFilesRemoved')!;
    expect(removed.actor).toContain('Privacy');
    expect(removed.payload).toMatchObject({ batchId, sentOn: '2026-03-10', retentionDays: 30, letters: 1, emails: 1 });
    expect(removed.payload.files.map((f: { name: string }) => f.name)).toEqual(files);
    for (const f of removed.payload.files) expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    const emails = events.find((e) => e.type === 'retention.emailCopiesRemoved')!;
    expect(emails.payload.messages[0].file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(events)).not.toContain('Winifred');
    expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true });

    // A second run finds nothing more to do.
    expect((await po.http().post('/api/retention/purge').set(t.as('admin')).expect(200)).body).toEqual({ ran: true, batches: 0, letterFiles: 0, emlFiles: 0 });
  });

  it('the settings page shows and saves the days, and names a bad one in plain words', async () => {
    const http = () => request(t.app.getHttpServer());
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.admin.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = await http().get('/admin/settings').set('Cookie', cookie).expect(200);
    expect(page.text).toContain('name="retention.letterFilesDays" value="30"');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)![1];
    const form = { _csrf: csrf, practiceName: 'Lakeside', 'contact.tollFreePhone': '1-800-555-0100', 'contact.website': 'https://lakeside.example', 'contact.email': 'privacy@lakeside.example' };
    const bad = await http().post('/admin/settings').set('Cookie', cookie).type('form').send({ ...form, 'retention.letterFilesDays': '7', 'retention.emlFilesDays': '' }).expect(422);
    expect(bad.text).toContain('Letter PDFs: remove after (days)');
    expect((await po.http().get('/api/settings').expect(200)).body.retention).toEqual({ letterFilesDays: 30, emlFilesDays: 30 });
    // Contact details the form does not show (the postal address) are kept as they are when it saves.
    const postalAddress = { line1: '1 Harbor Way', city: 'Albany', state: 'NY', postalCode: '12207' };
    await po.http().put('/api/settings').set(t.as('admin')).send({ contact: { postalAddress, signatoryName: 'Dr. Old Name' } }).expect(200);
    await http().post('/admin/settings').set('Cookie', cookie).type('form').send({ ...form, 'retention.letterFilesDays': '365', 'retention.emlFilesDays': '' }).expect(303);
    const saved = (await po.http().get('/api/settings').expect(200)).body;
    expect(saved.retention).toEqual({ letterFilesDays: 365, emlFilesDays: null });
    // The form's own fields are what it sent (an emptied one cleared); the postal address stays.
    expect(saved.contact).toEqual({ postalAddress, tollFreePhone: '1-800-555-0100', website: 'https://lakeside.example', email: 'privacy@lakeside.example' });
  });
});

/**
 * One retention pass at a time across processes: a pass holds the job lease `retention:purge`
 * (src/jobs/lease.service.ts) and renews it while it runs; a server process on the same database
 * asking for a pass meanwhile answers ran: false, even after the lease's own duration has passed,
 * and takes the lease only once its holder released it or stopped renewing it (expired).
 */
describe('retention passes across two processes', () => {
  let t: TestApp;
  let other: ServerProcess;
  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'), { smtpUrl: null, leaseSeconds: 1 });
    other = await startServer({
      DATABASE_PATH: t.config.databasePath, ...(t.config.databaseUrl ? { DATABASE_URL: t.config.databaseUrl } : {}),
      PHI_KEY_FILE: join(t.dir, 'data', 'phi.key'), AUDIT_KEY_FILE: join(t.dir, 'data', 'audit.key'), LETTERS_DIR: t.config.lettersDir,
      OUTBOX_DIR: t.config.outboxDir, ATTACHMENTS_DIR: t.config.attachmentsDir, LEASE_SECONDS: '1', REMINDER_POLL_SECONDS: '0', LOG_LEVEL: 'error',
    });
  }, 60_000);
  afterAll(async () => {
    await other?.stop();
    await t?.close();
  });

  const purgeThere = async () => {
    const r = await fetch(`${other.url}/api/retention/purge`, { method: 'POST', headers: t.as('admin') });
    expect(r.status).toBe(200);
    return r.json();
  };
  const NOTHING = { batches: 0, letterFiles: 0, emlFiles: 0 };
  const leaseRows = () => testDb(t.config).all<{ owner: string }>('SELECT "owner" FROM "job_lease" WHERE "job" = $1', ['retention:purge']);

  it('a pass running in one process (past its lease\'s duration, renewed) is not run again by the other; once it ends, the other runs', async () => {
    const settings = t.app.get(SettingsService);
    const original = settings.get.bind(settings);
    let open!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const inside = new Promise<void>((r) => (entered = r));
    // The pass in this process stops inside (after taking the lease) until the test lets it go on.
    jest.spyOn(settings, 'get').mockImplementationOnce(async () => { entered(); await gate; return original(); });
    const first = t.app.get(RetentionService).purge();
    await inside;
    expect(await leaseRows()).toEqual([{ owner: t.app.get(LeaseService).owner }]);
    await new Promise((r) => setTimeout(r, 2500)); // longer than LEASE_SECONDS=1: only the renewals keep it
    expect(await purgeThere()).toEqual({ ran: false, ...NOTHING });
    open();
    expect(await first).toEqual({ ran: true, ...NOTHING });
    expect(await leaseRows()).toEqual([]);
    expect(await purgeThere()).toEqual({ ran: true, ...NOTHING });
    expect(await leaseRows()).toEqual([]);
  }, 60_000);

  it('a pass whose process died holds the lease until it expires, then the other process runs', async () => {
    const db = testDb(t.config);
    const insert = (expiresAt: string) => db.exec(
      `INSERT INTO "job_lease" ("job", "kind", "ref", "owner", "token", "expires_at", "acquired_at") VALUES ('retention:purge', 'retention', 'purge', 'a process that died', 'dead', $1, $2)`,
      [expiresAt, new Date().toISOString()]);
    await insert(new Date(Date.now() + 60_000).toISOString());
    expect(await purgeThere()).toEqual({ ran: false, ...NOTHING });
    await db.exec(`DELETE FROM "job_lease" WHERE "job" = 'retention:purge'`);
    await insert(new Date(Date.now() - 1000).toISOString());
    expect(await purgeThere()).toEqual({ ran: true, ...NOTHING });
    expect(await leaseRows()).toEqual([]);
  }, 60_000);
});
