import { rmSync } from 'node:fs';
import request from 'supertest';
import { LettersService } from '../src/letters/letters.service';
import { IncidentClient } from './support/incident-client';
import { assessNoticeRequired, startPractice } from './support/practice';
import { TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/** Issue 12, item 5: reading PHI is audited (who, what, when; never the PHI), and the audit page filters it. */
describe('access audit', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  beforeAll(async () => {
    ({ t, po } = await startPractice(new Date('2026-03-10T15:00:00Z'), { practiceName: 'Lakeside', contact: { tollFreePhone: '1-800-555-0100', website: 'https://lakeside.example' } }));
    id = (await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 1, byJurisdiction: { NY: 1 } } })).id;
    await assessNoticeRequired(po, id, 'paper', 'x');
    await po.http().put(`/api/incidents/${id}/notice-content`).send({ whatHappened: 'Lost charts.', breachDates: 'unknown', phiTypes: ['name'], stepsForIndividuals: 'Watch your mail.', whatWeAreDoing: 'Training.' }).expect(200);
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send('name,state,address1,city,postal_code\nZebulon Quackenbush,NY,1 Main St,Albany,12207\n').expect(200);
  }, 60_000);
  afterAll(() => t.close());

  it('letters downloaded, a person read, a document exported, logins and settings changes are events naming who; no PHI in them', async () => {
    const batch = (await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body;
    await t.app.get(LettersService).settle();
    await po.http().get(`/api/incidents/${id}/letter-batches/${batch.id}/files/manifest.csv`).set(t.as('auditor')).expect(200);
    await po.http().get(`/api/incidents/${id}/documents/individual-notice?person=1`).expect(200);
    await po.http().get(`/api/incidents/${id}/documents/hhs-report`).set(t.as('auditor')).expect(200);
    await request(t.app.getHttpServer()).post('/login').type('form').send({ email: TEST_USERS.owner.email, password: 'wrong wrong wrong' }).expect(401);
    await request(t.app.getHttpServer()).post('/login').type('form').send({ email: TEST_USERS.owner.email, password: TEST_PASSWORD }).expect(303);

    const all = (await po.http().get('/api/audit/access').set(t.as('auditor')).expect(200)).body as { type: string; actor: string; subject: string; detail: Record<string, unknown> }[];
    const of = (type: string) => all.filter((e) => e.type === type);
    expect(of('letters.fileDownloaded')).toEqual([expect.objectContaining({ actor: `${TEST_USERS.auditor.name} <${TEST_USERS.auditor.email}>`, subject: id, detail: { batchId: batch.id, file: 'manifest.csv' } })]);
    expect(of('roster.personRead')[0]).toMatchObject({ actor: `${TEST_USERS.privacy_officer.name} <${TEST_USERS.privacy_officer.email}>`, detail: { document: 'individual-notice', person: 1 } });
    expect(of('document.exported')[0]).toMatchObject({ detail: { document: 'hhs-report' } });
    expect(of('login.failed')[0]).toMatchObject({ actor: `${TEST_USERS.owner.name} <${TEST_USERS.owner.email}>` });
    expect(of('login.succeeded')).toHaveLength(1);
    expect(of('settings.updated')).toHaveLength(1);
    expect(JSON.stringify(all)).not.toContain('Quackenbush');

    const filtered = (await po.http().get('/api/audit/access?type=login.failed').set(t.as('admin')).expect(200)).body;
    expect(filtered.map((e: { type: string }) => e.type)).toEqual(['login.failed']);
    await po.http().get('/api/audit/access?type=nonsense').set(t.as('admin')).expect(422);
    await po.http().get('/api/audit/access').set(t.as('owner')).expect(403);
  });

  it('the incident audit page lists who read its PHI, with a filter by kind', async () => {
    const http = () => request(t.app.getHttpServer());
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.auditor.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = (await http().get(`/incidents/${id}/audit`).set('Cookie', cookie).expect(200)).text;
    expect(page).toContain('Who read or exported its PHI');
    expect(page).toContain('letters.fileDownloaded');
    expect(page).toContain('roster.personRead');
    const only = (await http().get(`/incidents/${id}/audit?type=document.exported`).set('Cookie', cookie).expect(200)).text;
    const accessPart = only.slice(only.indexOf('Who read or exported'));
    expect(accessPart).toContain('document.exported');
    expect(accessPart).not.toContain('<strong>letters.fileDownloaded');
  });

  it('a settings change names the settings whose saved value changed: one given again is not, one cleared is', async () => {
    const put = (body: object) => po.http().put('/api/settings').set(t.as('admin')).send(body).expect(200);
    await put({ practiceName: 'Lakeside', mailingRates: { postagePerLetter: 0.7, printPerPage: 0.1 } });
    await put({ mailingRates: null });
    await put({ practiceName: 'Lakeside', reminders: { sendHour: 7 } });
    const events = (await po.http().get('/api/audit/access?type=settings.updated').set(t.as('auditor')).expect(200)).body as { seq: number; detail: { changed: string[] } }[];
    expect([...events].sort((a, b) => a.seq - b.seq).map((e) => e.detail.changed)).toEqual([['contact', 'practiceName'], ['mailingRates'], ['mailingRates'], ['reminders']]);
  });
  it('a letter file downloaded from the web page is audited as the API\'s download is', async () => {
    const http = () => request(t.app.getHttpServer());
    const [batch] = (await po.http().get(`/api/incidents/${id}/letter-batches`).expect(200)).body as { id: string; files: string[] }[];
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.privacy_officer.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    await http().get(`/incidents/${id}/letters/${batch.id}/files/${batch.files[0]}`).set('Cookie', cookie).expect(200);
    const downloads = (await po.http().get('/api/audit/access?type=letters.fileDownloaded').set(t.as('auditor')).expect(200)).body as { actor: string; detail: unknown }[];
    expect(downloads).toContainEqual(expect.objectContaining({ actor: `${TEST_USERS.privacy_officer.name} <${TEST_USERS.privacy_officer.email}>`, detail: { batchId: batch.id, file: batch.files[0] } }));
  });
  it('a letter file the retention purge removes after the check answers 410 on the web page, and the server goes on', async () => {
    const http = () => request(t.app.getHttpServer());
    const [batch] = (await po.http().get(`/api/incidents/${id}/letter-batches`).expect(200)).body as { id: string; files: string[] }[];
    const login = await http().post('/login').type('form').send({ email: TEST_USERS.privacy_officer.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    // The real check runs, then the file goes (as a purge between the check and the read would do it).
    const letters = t.app.get(LettersService);
    const check = letters.batchFile.bind(letters);
    const purged = jest.spyOn(letters, 'batchFile').mockImplementation(async (...args) => {
      const path = await check(...args);
      rmSync(path);
      return path;
    });
    try {
      const gone = await http().get(`/incidents/${id}/letters/${batch.id}/files/manifest.csv`).set('Cookie', cookie).expect(410);
      expect(gone.headers['content-disposition']).toBeUndefined();
    } finally {
      purged.mockRestore();
    }
    await http().get('/api/health').expect(200);
  });
});
