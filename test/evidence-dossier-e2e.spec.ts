import { createHash } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ZipFile } from 'yazl';
import { auditKeyPath } from '../src/audit/audit-key';
import { auditTrailLines, StoredEvent } from '../src/dossier/audit-jsonl';
import { dossierVerifyCommand } from '../src/dossier/dossier-cli';
import { LettersService } from '../src/letters/letters.service';
import { readZip } from './support/zip';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { readPdf } from './support/pdf';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Issue 15 end to end over HTTP on a real SQLite file: evidence attached at three steps (the
 * forensic report at the assessment, the written law-enforcement statement at the hold, invoices
 * on costs), costs entered through the dispatch path (one over its sub-limit, one without the
 * consent it needs, a mailing's cost entered by itself when its letter batch is marked sent), the dossier exported, opened (PDF pages and the
 * decision section) and verified offline, with the practice's signed checkpoint; then broken: one
 * byte of an attachment, an event removed, and a forger who relinks the trail and rewrites the
 * manifest, caught by the practice's checkpoint (and, with the audit key, by every event's hash).
 */

jest.setTimeout(90_000);

/** The practice's settings the letters need, and its print-and-mail rates: a mailed batch's cost enters the ledger by itself. */
const SETTINGS = {
  practiceName: 'Lakeside Family Medicine',
  contact: { tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', website: 'https://lakeside.example/notice', postalAddress: { line1: '1 Harbor Way', city: 'Albany', state: 'NY', postalCode: '12207' } },
  mailingRates: { postagePerLetter: 0.73, printPerPage: 0.1, vendor: 'Hudson Print & Mail' },
};
const CONTENT = {
  whatHappened: 'A laptop holding appointment lists was stolen from a car. It was not encrypted.', breachDates: { start: '2026-03-01' },
  phiTypes: ['name', 'address'], stepsForIndividuals: 'Review the statements you receive from your health insurer.', whatWeAreDoing: 'We are encrypting every laptop.',
};
const ROSTER = ['name,state,address1,city,postal_code', 'Ana Alvarez,NY,1 Elm St,Albany,12207', 'Ben Brooks,NY,2 Elm St,Albany,12207', 'Cy Chen,NY,3 Elm St,Albany,12207'].join('\n') + '\n';

type Files = Map<string, Buffer>;


function writeZip(path: string, files: Files): Promise<void> {
  return new Promise((resolve, reject) => {
    const zip = new ZipFile();
    for (const [name, body] of files) zip.addBuffer(body, name);
    zip.end();
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject);
  });
}

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** What a forger with the ZIP (not the audit key, not the hash kept apart) can do: rewrite the manifest to match. */
function reManifest(files: Files): void {
  const manifest = JSON.parse(files.get('manifest.json')!.toString()) as { files: { path: string; bytes: number; sha256: string }[] };
  manifest.files = manifest.files.map((f) => ({ path: f.path, bytes: files.get(f.path)!.length, sha256: sha(files.get(f.path)!) }));
  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  files.set('manifest.json', Buffer.from(text));
  files.set('manifest.sha256', Buffer.from(`${sha(text)}  manifest.json\n`));
}

/** The trail's lines parsed: the events and the checkpoint line. */
function trailOf(files: Files) {
  const lines = files.get('audit-trail.jsonl')!.toString().trimEnd().split('\n').map((l) => JSON.parse(l));
  return { events: lines.slice(0, -1).map((l) => l.event as StoredEvent), checkpoint: lines.at(-1) };
}

describe('evidence, costs and the dossier, end to end', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  let keyFile: string;
  let zipPath: string;
  let manifestSha: string;
  const dir = mkdtempSync(join(tmpdir(), 'bf-evidence-e2e-'));

  const attach = async (kind: string, description: string, name: string, body: Buffer) => (await request(t.app.getHttpServer())
    .post(`/api/incidents/${id}/attachments`).set(t.as('privacy_officer'))
    .set({ 'Content-Type': 'application/pdf', 'X-Attachment-Kind': kind, 'X-Attachment-Description': encodeURIComponent(description), 'X-File-Name': name })
    .send(body).expect(201)).body as { id: string; number: number; sha256: string };

  async function verify(path: string, options: { manifestSha256?: string; auditKey?: string } = {}) {
    let out = '';
    let err = '';
    const code = await dossierVerifyCommand({ stdout: (s) => { out += s; }, stderr: (s) => { err += s; }, tty: false }, path, options);
    return { code, out, err };
  }

  async function variant(name: string, change: (files: Files) => void): Promise<string> {
    const files = await readZip(zipPath);
    change(files);
    const path = join(dir, `${name}.zip`);
    await writeZip(path, files);
    return path;
  }

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    keyFile = auditKeyPath(t.config);
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    id = (await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 40, byJurisdiction: { NY: 40 } } })).id;
    await po.walk(id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'not encrypted' }]);
  });
  afterAll(() => t.close());

  it('takes evidence at three steps and costs through the dispatch path, with the warnings the claim owes', async () => {
    // Step 1, the risk assessment: the forensic report is its evidence.
    const forensic = await attach('forensic_report', 'DFIR summary', 'dfir.pdf', Buffer.from(`%PDF-1.4 forensic report ${'x'.repeat(4000)}`));
    await po.walk(id, [{ type: 'assessment.completed', lowProbability: false, factors: FACTORS(`forensic report #${forensic.number}`) }]);
    // Step 2, the law-enforcement hold: the written statement.
    await attach('law_enforcement_statement', 'Albany PD written request to delay', 'apd.pdf', Buffer.from('%PDF-1.4 please delay notice until 2026-04-01'));
    await po.walk(id, [{ type: 'hold.placed', statement: 'written', receivedOn: '2026-03-05', delayUntil: '2026-04-01', official: 'Det. Rivera, Albany PD' }]);
    // Step 3, the claim: invoices on costs.
    await po.walk(id, [{
      type: 'insurance.policyRecorded', carrier: 'Example Mutual', policyNumber: 'CY-1001', noticeWindowDays: 3, periodStart: '2026-01-01', periodEnd: '2026-12-31',
      retention: 5000, aggregateLimit: 500000, subLimits: { public_relations: 10000 }, consentRequired: ['forensics'], panelVendors: ['Panel Forensics LLC'], proofOfLossMonthsAfterPeriod: 6,
    }]);
    const prInvoice = await attach('invoice', 'Press Partners invoice 117', 'pr-117.pdf', Buffer.from('%PDF-1.4 invoice 117'));
    const dfirInvoice = await attach('invoice', 'Other DFIR invoice 9', 'dfir-9.pdf', Buffer.from('%PDF-1.4 invoice 9'));
    await po.walk(id, [
      { type: 'insurance.costRecorded', on: '2026-03-05', vendor: 'Press Partners', amount: 12500, part: 'public_relations', invoiceAttachmentId: prInvoice.id },
      { type: 'insurance.costRecorded', on: '2026-03-06', vendor: 'Other DFIR Inc', amount: 8000, part: 'forensics', invoiceAttachmentId: dfirInvoice.id },
    ]);
    // The mailing's cost, by itself: a small roster's batch, generated and marked sent (during the
    // hold, confirmed), enters its postage and printing at the settings' rates.
    await po.http().put('/api/settings').set(t.as('admin')).send(SETTINGS).expect(200);
    await po.http().put(`/api/incidents/${id}/notice-content`).send(CONTENT).expect(200);
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(ROSTER).expect(200);
    const created = (await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body as { id: string };
    await t.app.get(LettersService).settle();
    const batch = (await po.http().get(`/api/incidents/${id}/letter-batches/${created.id}`).expect(200)).body as { id: string; status: string; letters: number; pages: number };
    expect(batch).toMatchObject({ status: 'done', letters: 3 });
    await po.http().post(`/api/incidents/${id}/letter-batches/${batch.id}/sent`)
      .send({ sentOn: '2026-03-09', holdConfirmed: true, holdReason: 'Albany PD cleared the letters to these three patients' }).expect(200);
    const mailing = 3 * 73 + batch.pages * 10; // cents: 3 letters' postage and every page's printing
    const claim = (await po.http().get(`/api/incidents/${id}/claim`).expect(200)).body;
    expect(claim.costs.find((c: { id: string }) => c.id === 'C3')).toMatchObject({
      on: '2026-03-09', vendor: 'Hudson Print & Mail', part: 'notification', amount: mailing, fromBatchId: batch.id,
      description: `Mailing of letter batch ${batch.id}: 3 letters at $0.73 postage, ${batch.pages} pages at $0.10 printing`,
    });
    // PR 12,500 over its 10,000 sub-limit; forensics 8,000 lacks consent (at risk); the mailing in full.
    // covered 10,000 + mailing - retention 5,000 = 5,000 + mailing claimable.
    expect(claim.summary).toMatchObject({ totalIncurred: 2050000 + mailing, totalCovered: 1000000 + mailing, claimable: 500000 + mailing, atRisk: 800000 });
    const kinds = claim.summary.warnings.map((w: { kind: string; entryId?: string }) => `${w.kind}${w.entryId ? `:${w.entryId}` : ''}`);
    expect(kinds).toEqual(expect.arrayContaining(['sub_limit_exhausted', 'consent_missing:C2', 'non_panel_vendor:C1', 'non_panel_vendor:C2']));
    expect(kinds).not.toContain('invoice_missing:C3');
    const trail = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { type: string; toPhase: string }[];
    expect(trail.filter((e) => e.type === 'evidence.attached').map((e) => e.toPhase)).toEqual(['riskAssessment', 'notification', 'notification', 'notification']);
  });

  it('exports the dossier, which opens (pages, the decision section) and verifies offline with the practice checkpoint and key', async () => {
    const res = await request(t.app.getHttpServer()).get(`/api/incidents/${id}/dossier`).set(t.as('privacy_officer'))
      .buffer(true).parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); });
    expect(res.status).toBe(200);
    manifestSha = res.headers['x-dossier-manifest-sha256'];
    zipPath = join(dir, 'dossier.zip');
    writeFileSync(zipPath, res.body as Buffer, { mode: 0o600 });
    const files = await readZip(zipPath);
    expect([...files.keys()].filter((f) => f.startsWith('attachments/')).sort()).toEqual([
      'attachments/001-forensic_report.pdf', 'attachments/002-law_enforcement_statement.pdf', 'attachments/003-invoice.pdf', 'attachments/004-invoice.pdf',
    ]);
    expect(files.has('documents/claim-package.pdf')).toBe(true);
    const pdfPath = join(dir, 'dossier.pdf');
    writeFileSync(pdfPath, files.get('dossier.pdf')!);
    const pdf = await readPdf(pdfPath);
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    const text = pdf.text.join('\n');
    expect(text).toContain('Decisions: safe harbor, exceptions, the four-factor assessment');
    expect(text).toContain('forensic report #1');
    expect(text).toMatch(/Example\s+Mutual/);
    expect(text).toMatch(/The practice's signed checkpoint at the export/);

    // The trail's checkpoint carries the practice's signed checkpoint, taken at the export.
    const { events, checkpoint } = trailOf(files);
    expect(checkpoint.practice).toMatchObject({ breachflowAuditCheckpoint: 1, at: checkpoint.exportedAt, incidentEvents: { count: events.at(-1)!.seq, head: events.at(-1)!.hash } });
    expect(await verify(zipPath, { manifestSha256: manifestSha })).toMatchObject({ code: 0, out: expect.stringContaining('against the practice\'s checkpoint') });
    expect(await verify(zipPath, { manifestSha256: manifestSha, auditKey: keyFile })).toMatchObject({ code: 0, out: expect.stringContaining('hold under the audit key') });
  });

  it('names one byte changed in an attachment, and an event removed (exit 3)', async () => {
    const byte = await variant('byte', (files) => {
      const b = Buffer.from(files.get('attachments/003-invoice.pdf')!);
      b[b.length - 1] ^= 0x01;
      files.set('attachments/003-invoice.pdf', b);
    });
    const r1 = await verify(byte);
    expect(r1.code).toBe(3);
    expect(r1.err).toMatch(/^dossier BROKEN at attachments\/003-invoice\.pdf: does not match the manifest/);

    const removed = await variant('removed', (files) => {
      const lines = files.get('audit-trail.jsonl')!.toString().trimEnd().split('\n');
      files.set('audit-trail.jsonl', Buffer.from(`${[...lines.slice(0, 6), ...lines.slice(7)].join('\n')}\n`));
    });
    const seq = trailOf(await readZip(zipPath)).events[7].seq;
    const r2 = await verify(removed);
    expect(r2.code).toBe(3);
    expect(r2.err).toMatch(new RegExp(`^dossier BROKEN at audit-trail\\.jsonl#7, event #${seq}: its link does not follow`));
  });

  it('catches a forger who relinks the trail and rewrites the manifest, by the practice checkpoint and the audit key', async () => {
    const forged = (name: string, edit: (events: StoredEvent[], cp: Record<string, unknown>) => StoredEvent[]) => variant(name, (files) => {
      const { events, checkpoint } = trailOf(files);
      const changed = edit(events.map((e) => ({ ...e })), checkpoint.practice);
      files.set('audit-trail.jsonl', Buffer.from(auditTrailLines(changed, checkpoint.exportedAt, checkpoint.practice).text));
      reManifest(files);
    });
    // An event added after the export: the checkpoint saw fewer.
    const added = await forged('added', (events) => {
      const last = events.at(-1)!;
      return [...events, { ...last, seq: last.seq + 1, type: 'incident.note', prevHash: last.hash, hash: 'f'.repeat(64) }];
    });
    const r1 = await verify(added);
    expect(r1.code).toBe(3);
    expect(r1.err).toMatch(/event #\d+: comes after the practice's checkpoint, which saw \d+ events at export/);

    // An event's actor rewritten and the trail relinked: only the audit key can tell.
    const edited = await forged('edited', (events) => events.map((e, i) => (i === 3 ? { ...e, actor: 'Someone Else <else@clinic.test>' } : e)));
    expect((await verify(edited)).code).toBe(0);
    const r2 = await verify(edited, { auditKey: keyFile });
    expect(r2.code).toBe(3);
    expect(r2.err).toMatch(/^dossier BROKEN at audit-trail\.jsonl#4, event #\d+: is not as the practice's chain holds it/);
    // ... and the manifest's hash kept apart tells even without the key.
    expect((await verify(edited, { manifestSha256: manifestSha })).code).toBe(3);

    // The checkpoint itself moved to hide an added event: its signature no longer holds.
    const moved = await forged('moved', (events, cp) => {
      const last = events.at(-1)!;
      const incidentEvents = cp.incidentEvents as { count: number; head: string };
      cp.incidentEvents = { count: incidentEvents.count + 1, head: 'f'.repeat(64) };
      return [...events, { ...last, seq: last.seq + 1, type: 'incident.note', prevHash: last.hash, hash: 'f'.repeat(64) }];
    });
    const r3 = await verify(moved, { auditKey: keyFile });
    expect(r3.code).toBe(3);
    expect(r3.err).toMatch(/practice checkpoint was not signed with this audit key/);

    // The checkpoint removed.
    const stripped = await variant('stripped', (files) => {
      const { events, checkpoint } = trailOf(files);
      files.set('audit-trail.jsonl', Buffer.from(auditTrailLines(events, checkpoint.exportedAt).text));
      reManifest(files);
    });
    const r4 = await verify(stripped);
    expect(r4.code).toBe(3);
    expect(r4.err).toMatch(/carries no signed checkpoint of the practice's audit chain/);
  });

  it('keeps the database free of the uploaded file names in clear', () => {
    const db = readFileSync(t.config.databasePath);
    for (const name of ['dfir.pdf', 'apd.pdf', 'pr-117.pdf', 'Albany PD written request']) expect(`${name}: ${db.includes(name)}`).toBe(`${name}: false`);
  });
});
