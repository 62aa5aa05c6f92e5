import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ZipFile } from 'yazl';
import { LettersService } from '../src/letters/letters.service';
import { dossierVerifyCommand } from '../src/dossier/dossier-cli';
import { DossierService } from '../src/dossier/dossier.service';
import { readZip } from './support/zip';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { readPdf } from './support/pdf';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The dossier end to end on the real app: evidence attached at three steps, a roster mailed, the
 * dossier downloaded, its PDF read back with pdf.js, verified offline; then one attachment's byte
 * changed inside the ZIP, and one audit event removed from the trail: each named by the verifier.
 */

const ROSTER = 'name,state,address1,city,postal_code\nZebulon Quackenbush,NY,12 Elm St,Albany,12207\nPhilippa Vandersloot,NY,44 Oak Ave,Troy,12180\n';
const CONTENT = {
  whatHappened: 'On March 1 a laptop holding appointment lists was stolen from a staff member\'s car. It was not encrypted.',
  breachDates: { start: '2026-03-01' }, phiTypes: ['name', 'address'],
  stepsForIndividuals: 'Review the statements you receive from your health insurer.', whatWeAreDoing: 'We are encrypting every laptop.',
  typeOfBreach: ['theft'], locations: ['laptop'], safeguardsInPlace: ['privacy_rule'], actionsTaken: ['encryption'],
};
const SETTINGS = {
  practiceName: 'Lakeside Family Medicine',
  contact: {
    tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', website: 'https://lakeside.example/notice',
    postalAddress: { line1: '1 Harbor Way', city: 'Albany', state: 'NY', postalCode: '12207' },
    signatoryName: 'Pat Privacy', signatoryTitle: 'Privacy Officer', entityType: 'Healthcare Provider',
    contactPersonName: 'Pat Privacy', contactPersonPhone: '518-555-0100', contactPersonEmail: 'privacy@lakeside.example',
  },
};


function writeZip(path: string, files: Map<string, Buffer>): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [name, body] of files) zip.addBuffer(body, name);
    zip.end();
    const out = require('node:fs').createWriteStream(path);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
  });
}

async function verify(path: string, sha?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await dossierVerifyCommand({ stdout: (t) => { out += t; }, stderr: (t) => { err += t; }, tty: false }, path, { manifestSha256: sha });
  return { code, out, err };
}

jest.setTimeout(60_000);

describe('dossier', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  let zipPath: string;
  let manifestSha: string;
  const dir = mkdtempSync(join(tmpdir(), 'bf-dossier-test-'));

  const attach = (kind: string, description: string, body: string) => request(t.app.getHttpServer())
    .post(`/api/incidents/${id}/attachments`).set(t.as('privacy_officer'))
    .set({ 'Content-Type': 'text/plain', 'X-Attachment-Kind': kind, 'X-Attachment-Description': encodeURIComponent(description), 'X-File-Name': `${kind}.txt` })
    .send(Buffer.from(body)).expect(201);

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    await po.http().put('/api/settings').set(t.as('admin')).send(SETTINGS).expect(200);
    id = (await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 2, byJurisdiction: { NY: 2 } } })).id;
    await po.walk(id, CONTAIN.slice(0, 2));
    await attach('police_report', 'Albany PD report 26-1234', 'Police report 26-1234: laptop stolen from a car.');
    await po.walk(id, CONTAIN.slice(2));
    await attach('forensic_report', 'Forensic summary', 'No encryption on the disk; appointment lists present.');
    await po.walk(id, [{ type: 'safeHarbor.assessed', note: 'not encrypted' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('police report 26-1234') }]);
    await attach('correspondence', 'Letter to the insurer', 'We notified Example Mutual on March 9.');
    await po.http().put(`/api/incidents/${id}/notice-content`).send(CONTENT).expect(200);
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(ROSTER).expect(200);
    const batch = await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202);
    await t.app.get(LettersService).settle();
    await po.http().post(`/api/incidents/${id}/letter-batches/${batch.body.id}/sent`).send({ sentOn: '2026-03-10' }).expect(200);

    const res = await request(t.app.getHttpServer()).get(`/api/incidents/${id}/dossier`).set(t.as('auditor'))
      .buffer(true).parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    manifestSha = res.headers['x-dossier-manifest-sha256'];
    zipPath = join(dir, 'dossier.zip');
    writeFileSync(zipPath, res.body as Buffer, { mode: 0o600 });
  });
  afterAll(() => t.close());

  it('holds the story, the trail, the documents and the attachments, each in the manifest', async () => {
    const files = await readZip(zipPath);
    expect([...files.keys()].sort()).toEqual([
      'attachments/001-police_report.txt', 'attachments/002-forensic_report.txt', 'attachments/003-correspondence.txt',
      'audit-trail.jsonl', 'documents/hhs-report.html', 'documents/mailings-summary.csv', 'documents/plan.json',
      'dossier.pdf', 'manifest.json', 'manifest.sha256',
    ].sort());
    expect(files.get('attachments/002-forensic_report.txt')!.toString()).toBe('No encryption on the disk; appointment lists present.');
    expect(files.get('documents/mailings-summary.csv')!.toString()).toBe('state,method,people\nNY,mail,2\n');
    const manifest = JSON.parse(files.get('manifest.json')!.toString());
    expect(manifest).toMatchObject({ format: 'breachflow-dossier/1', incident: { id, reference: 'BF-2026-0001' }, rulePackVersion: expect.any(String) });
    expect(manifest.files).toHaveLength(8);
    expect(files.get('manifest.sha256')!.toString()).toBe(`${manifestSha}  manifest.json\n`);
  });

  it('tells the story in a PDF a reader can follow, with no patient named', async () => {
    const files = await readZip(zipPath);
    const pdfPath = join(dir, 'dossier.pdf');
    writeFileSync(pdfPath, files.get('dossier.pdf')!);
    const pdf = await readPdf(pdfPath);
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    const text = pdf.text.join('\n');
    expect(text).toContain('Decisions: safe harbor, exceptions, the four-factor assessment');
    expect(text).toMatch(/Determination: breach/);
    expect(text).toContain('police report 26-1234');
    expect(text).toMatch(/45 CFR 164\.404/);
    for (const [name, body] of files) {
      if (name.startsWith('attachments/')) continue;
      expect(`${name}: ${body.includes('Quackenbush') || body.includes('Vandersloot')}`).toBe(`${name}: false`);
    }
    expect(text).not.toMatch(/Quackenbush|Vandersloot/);
  });

  it('verifies offline; the export was audited; a dossier written to a file is owner-only', async () => {
    expect(await verify(zipPath, manifestSha)).toMatchObject({ code: 0, out: expect.stringContaining('dossier intact: BF-2026-0001') });
    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { type: string; actor: string; payload: Record<string, unknown> }[];
    expect(events.at(-1)).toMatchObject({ type: 'dossier.exported', actor: expect.stringContaining('auditor@clinic.test'), payload: { manifestSha256: manifestSha } });
    const file = join(dir, 'exported.zip');
    const done = await t.app.get(DossierService).exportTo(id, { id: 'tests (command line)', via: 'cli' }, file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await verify(file, done.manifestSha256)).code).toBe(0);
    expect((await po.http().get('/api/audit/verify').expect(200)).body.intact).toBe(true);
  });

  it('names an attachment changed inside the ZIP (exit 3)', async () => {
    const files = await readZip(zipPath);
    const att = Buffer.from(files.get('attachments/002-forensic_report.txt')!);
    att[0] ^= 0x20;
    files.set('attachments/002-forensic_report.txt', att);
    const path = join(dir, 'changed.zip');
    await writeZip(path, files);
    const r = await verify(path);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^dossier BROKEN at attachments\/002-forensic_report\.txt: does not match the manifest/);
  });

  it('names an event removed from the audit trail (exit 3), and a removed last event', async () => {
    const files = await readZip(zipPath);
    const lines = files.get('audit-trail.jsonl')!.toString().trimEnd().split('\n');
    const removed = JSON.parse(lines[4]).event.seq;
    files.set('audit-trail.jsonl', Buffer.from(`${[...lines.slice(0, 4), ...lines.slice(5)].join('\n')}\n`));
    const path = join(dir, 'removed.zip');
    await writeZip(path, files);
    const r = await verify(path);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(new RegExp(`^dossier BROKEN at audit-trail\\.jsonl#5, event #${removed + 1}: its link does not follow`));

    const last = [...lines.slice(0, -2), lines.at(-1)!];
    files.set('audit-trail.jsonl', Buffer.from(`${last.join('\n')}\n`));
    await writeZip(path, files);
    const r2 = await verify(path);
    expect(r2.code).toBe(3);
    expect(r2.err).toMatch(/^dossier BROKEN at audit-trail\.jsonl#\d+: the checkpoint says/);
  });

  it('refuses a manifest that is not the one kept apart', async () => {
    const r = await verify(zipPath, 'ab'.repeat(32));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/manifest\.json: .*kept apart/);
  });
});
