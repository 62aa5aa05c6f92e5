import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { AttachmentRepository } from '../src/attachments/attachment.repository';
import { TransactionRunner } from '../src/persistence/transaction-runner';
import { facts } from './factories/facts';
import { storedBytes } from './support/db';
import { IncidentClient } from './support/incident-client';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Evidence over HTTP on the real app and a real SQLite file (or PostgreSQL database, BF_TEST_PG=1): attached sealed (neither the file's
 * bytes nor its name or description in clear on disk), its SHA-256 in the audit chain, read back
 * through an audited download, never deleted, superseded with both kept, bounded in size.
 */

const REPORT = Buffer.from('%PDF-1.4\nForensic report: laptop of Zebulon Quackenbush imaged on 2026-03-02.\n%%EOF\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function attachHeaders(kind: string, description: string, fileName: string, extra: Record<string, string> = {}) {
  return {
    'Content-Type': 'application/pdf',
    'X-Attachment-Kind': kind,
    'X-Attachment-Description': encodeURIComponent(description),
    'X-File-Name': encodeURIComponent(fileName),
    ...extra,
  };
}

describe('attachments', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'), { attachmentMaxBytes: 64 * 1024 });
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    id = (await po.report(facts({ discovery: { date: '2026-03-02' } }))).id;
  });
  afterAll(() => t.close());

  const post = (auth: Record<string, string>, headers: Record<string, string>, body: Buffer) =>
    request(t.app.getHttpServer()).post(`/api/incidents/${id}/attachments`).set(auth).set(headers).send(body);

  it('seals the file, records its SHA-256 in the audit chain and gives it back byte for byte, audited', async () => {
    const res = await post(t.as('privacy_officer'), attachHeaders('forensic_report', 'Imaging of the laptop of Zebulon Quackenbush', 'quackenbush-forensics.pdf'), REPORT);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: 1, kind: 'forensic_report', kindLabel: 'Forensic report', bytes: REPORT.length, sha256: sha(REPORT), fileName: 'quackenbush-forensics.pdf', supersedes: null });

    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { type: string; payload: Record<string, unknown> }[];
    expect(events.at(-1)).toMatchObject({ type: 'evidence.attached', payload: { attachment: 1, kind: 'forensic_report', sha256: sha(REPORT), bytes: REPORT.length } });

    const file = await request(t.app.getHttpServer()).get(`/api/incidents/${id}/attachments/${res.body.id}/file`).set(t.as('auditor'))
      .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/application\/pdf/);
    expect(file.headers['cache-control']).toBe('no-store');
    expect(Buffer.compare(file.body as Buffer, REPORT)).toBe(0);
    const access = (await po.http().get('/api/audit/access?type=attachment.downloaded').expect(200)).body as { type: string; actor: string; subject: string; detail: Record<string, unknown> }[];
    expect(access[0]).toMatchObject({ type: 'attachment.downloaded', actor: expect.stringContaining('auditor@clinic.test'), subject: id, detail: { attachment: 1 } });
    expect((await po.http().get('/api/audit/verify').expect(200)).body.intact).toBe(true);
  });

  it('keeps no name, description or content in clear on disk, and the files owner-only', () => {
    // SQLite: the file and its WAL; PostgreSQL: a pg_dump of every row (test/support/db.ts).
    const atRest = storedBytes(t.config);
    expect(Buffer.concat(atRest).includes(sha(REPORT))).toBe(true); // the search sees the rows themselves
    for (const haystack of atRest) {
      expect(haystack.includes('Quackenbush')).toBe(false);
      expect(haystack.includes('quackenbush-forensics')).toBe(false);
    }
    const dir = join(t.config.attachmentsDir, id);
    const [stored] = readdirSync(dir);
    const sealed = readFileSync(join(dir, stored));
    expect(sealed.includes('Quackenbush')).toBe(false);
    expect(sealed.includes('%PDF')).toBe(false);
    expect(statSync(join(dir, stored)).mode & 0o777).toBe(0o600);
  });

  it('supersedes a file with a corrected one, keeping both, and never deletes', async () => {
    const [first] = (await po.http().get(`/api/incidents/${id}/attachments`).expect(200)).body;
    const fixed = Buffer.concat([REPORT, Buffer.from('corrected\n')]);
    const res = await post(t.as('privacy_officer'), attachHeaders('forensic_report', 'Corrected imaging report', 'forensics-v2.pdf', { 'X-Supersedes': first.id }), fixed);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ number: 2, supersedes: first.id });
    const list = (await po.http().get(`/api/incidents/${id}/attachments`).expect(200)).body;
    expect(list.map((a: { number: number; supersededBy: string | null }) => [a.number, a.supersededBy])).toEqual([[1, res.body.id], [2, null]]);

    const again = await post(t.as('privacy_officer'), attachHeaders('forensic_report', 'Another', 'x.pdf', { 'X-Supersedes': first.id }), fixed);
    expect(again.status).toBe(409);
    const del = await po.http().delete(`/api/incidents/${id}/attachments/${first.id}`);
    expect(del.status).toBe(409);
    expect(del.body.errors[0].message).toMatch(/six years|6 years/);
    expect(del.body.errors[0].message).toMatch(/164\.530\(j\)/);
  });

  it('refuses bad metadata by header name, a file over the limit with 413, and leaves nothing behind', async () => {
    const before = readdirSync(join(t.config.attachmentsDir, id)).length;
    const bad = await post(t.as('privacy_officer'), attachHeaders('selfie', '', 'a/b.pdf'), REPORT);
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['X-Attachment-Description', 'X-Attachment-Kind', 'X-File-Name']);
    const big = await post(t.as('privacy_officer'), attachHeaders('other', 'Big scan', 'scan.pdf'), randomBytes(65 * 1024));
    expect(big.status).toBe(413);
    expect(big.body.errors[0].message).toMatch(/larger than/);
    expect(readdirSync(join(t.config.attachmentsDir, id)).length).toBe(before);
    const json = await request(t.app.getHttpServer()).post(`/api/incidents/${id}/attachments`).set(t.as('privacy_officer'))
      .set({ ...attachHeaders('other', 'x', 'x.json'), 'Content-Type': 'application/json' }).send('{"a":1}');
    expect(json.status).toBe(422);
    expect(json.body.errors[0].path).toBe('Content-Type');
  });

  it('lets an owner attach to their own report only; an auditor never', async () => {
    const owner = new IncidentClient(t.app, t.as('owner'));
    const mine = (await owner.report(facts({ discovery: { date: '2026-03-05' } }), 'Paper charts stolen')).id;
    const ok = await request(t.app.getHttpServer()).post(`/api/incidents/${mine}/attachments`).set(t.as('owner'))
      .set(attachHeaders('police_report', 'Police report number', 'police.pdf')).send(REPORT);
    expect(ok.status).toBe(201);
    expect((await post(t.as('owner'), attachHeaders('police_report', 'x', 'x.pdf'), REPORT)).status).toBe(403);
    expect((await post(t.as('auditor'), attachHeaders('police_report', 'x', 'x.pdf'), REPORT)).status).toBe(403);
  });

  it('fails the download, never passes a changed file silently', async () => {
    const res = await post(t.as('privacy_officer'), attachHeaders('invoice', 'Invoice', 'invoice.pdf'), REPORT);
    const path = join(t.config.attachmentsDir, id, `${res.body.id}.sealed`);
    const bytes = readFileSync(path);
    bytes[20] ^= 0x01;
    writeFileSync(path, bytes);
    const outcome = await request(t.app.getHttpServer()).get(`/api/incidents/${id}/attachments/${res.body.id}/file`).set(t.as('privacy_officer'))
      .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); })
      .then((r) => ({ complete: Buffer.compare(r.body as Buffer, REPORT) === 0 }), (e: Error) => ({ failed: e.message }));
    // GCM authenticates at the end: the response is cut off rather than completed with the changed bytes.
    expect(outcome).toEqual({ failed: 'aborted' });
  });

  it('keeps a size above 2^31 bytes exactly (BIGINT on PostgreSQL, migration 1764000000091)', async () => {
    const repo = t.app.get(AttachmentRepository);
    const runner = t.app.get(TransactionRunner);
    const bytes = 5 * 2 ** 30 + 7; // a 5 GB disk image: past both 2^31 and 2^32
    const rowId = randomUUID();
    await runner.transaction(async (m) => repo.insert(m, {
      id: rowId, incident_id: id, number: await repo.nextNumber(m, id), kind: 'other', bytes, sha256: 'a'.repeat(64),
      sealed_meta: 'not read here', sealed_key: 'not read here', storage: 'not read here', supersedes: null, superseded_by: null, actor: 'test', at: '2026-03-10T15:00:00.000Z',
    }));
    expect((await runner.read((m) => repo.get(m, id, rowId)))?.bytes).toBe(bytes);
    expect((await runner.read((m) => repo.list(m, id))).find((r) => r.id === rowId)?.bytes).toBe(bytes);
  });
});
