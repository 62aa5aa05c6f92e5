import { INestApplication } from '@nestjs/common';
import { parse } from 'csv-parse/sync';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { LeaseService } from '../src/jobs/lease.service';
import { LetterFileRepository } from '../src/letters/letter-file.repository';
import { LetterRendererService } from '../src/letters/letter-renderer.service';
import { LettersService } from '../src/letters/letters.service';
import { TransactionRunner } from '../src/persistence/transaction-runner';
import { shippedPack } from './factories/facts';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { readPdf } from './support/pdf';
import { testDb } from './support/db';
import { testPgServer, untilLockWaiter } from './support/pg-database';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Item 2 of the letters' part of issue 16: a batch's files are claimed one by one by whichever
 * instance has free workers. Two renderer instances share one SQLite file with the instance that
 * created the batch (which renders nothing: LETTER_WORKERS=0); a third "renderer" claims the first
 * file and dies (its lease is left to expire on the injected clock). The others render the rest,
 * take the dead one's file over only once its lease expired, render it once, and finish the batch;
 * its files and manifest are byte for byte those of the same batch rendered by one instance alone.
 */

const NOW = new Date('2026-03-10T15:00:00Z');
const PEOPLE = 200;
const PER_FILE = 20;
const HEADER = 'name,state,address1,city,postal_code';
const ROSTER = [HEADER, ...Array.from({ length: PEOPLE }, (_, i) => `Person Number${i + 1},NY,${i + 1} Main St,Albany,12207`)].join('\n') + '\n';
const CONTENT = {
  whatHappened: 'A laptop holding appointment lists was stolen from a car. It was not encrypted.',
  breachDates: { start: '2026-03-01' },
  phiTypes: ['name', 'address'],
  stepsForIndividuals: 'Review the statements you receive from your health insurer.',
  whatWeAreDoing: 'We are encrypting every laptop.',
};
const SETTINGS = {
  practiceName: 'Lakeside Family Medicine',
  contact: { tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', postalAddress: { line1: '1 Harbor Way', city: 'Albany', state: 'NY', postalCode: '12207' } },
};

interface Renderer { app: INestApplication; clock: FixedClock; owner: string }

async function renderer(t: TestApp): Promise<Renderer> {
  const clock = new FixedClock(NOW);
  const app = await createApp({ config: { ...t.config, letterWorkers: 1 }, rulePack: shippedPack, clock, logger: false });
  await app.init();
  return { app, clock, owner: app.get(LeaseService).owner };
}

const settle = (r: Renderer) => r.app.get(LettersService).settle();

function filesOf(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

describe('letter batches across instances', () => {
  let t: TestApp;
  let client: IncidentClient;
  let id: string;
  const renderers: Renderer[] = [];

  beforeAll(async () => {
    t = await startTestApp(NOW, { letterWorkers: 0, lettersPerFile: PER_FILE, leaseSeconds: 30 });
    client = new IncidentClient(t.app, t.as('privacy_officer'));
    await client.http().put('/api/settings').set(t.as('admin')).send(SETTINGS).expect(200);
    id = (await client.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: PEOPLE, byJurisdiction: { NY: PEOPLE } } })).id;
    await client.walk(id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'not encrypted' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('police report') }]);
    await client.http().put(`/api/incidents/${id}/notice-content`).send(CONTENT).expect(200);
    await client.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(ROSTER).expect(200);
  }, 120_000);

  afterAll(async () => {
    for (const r of renderers) await r.app.close();
    await t?.close();
  });

  it('two renderers share a batch; a dead renderer\'s file is taken over after its lease expired, once; the result is a single renderer\'s', async () => {
    const created = (await client.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body;
    await t.app.get(LettersService).settle();
    expect((await client.http().get(`/api/incidents/${id}/letter-batches/${created.id}`).expect(200)).body).toMatchObject({ status: 'running', done: 0 });

    // A renderer claims file 1 and dies: its claim stays, with a lease nobody renews.
    const dead = await t.app.get(TransactionRunner).transaction((m) =>
      t.app.get(LetterFileRepository).claim(m, 'a renderer that died', new Date(NOW.getTime() + 30_000).toISOString(), NOW.toISOString()));
    expect(dead).toMatchObject({ no: 1, attempts: 1 });

    renderers.push(await renderer(t), await renderer(t));
    const [a, b] = renderers;
    await Promise.all([settle(a), settle(b)]);
    const db = testDb(t.config);
    const rows = async () => (await db.all<{ no: number; status: string; owner: string; attempts: number }>('SELECT "no", "status", "owner", "attempts" FROM "letter_file" WHERE "batch_id" = $1 ORDER BY "no"', [created.id]))
      .map((f) => ({ ...f, no: Number(f.no), attempts: Number(f.attempts) }));
    let files = await rows();
    expect(files).toHaveLength(PEOPLE / PER_FILE);
    expect(files[0]).toMatchObject({ status: 'rendering', owner: 'a renderer that died' });
    expect(files.slice(1).every((f) => f.status === 'done' && f.attempts === 1)).toBe(true);
    expect(new Set(files.slice(1).map((f) => f.owner))).toEqual(new Set([a.owner, b.owner])); // both rendered
    expect((await client.http().get(`/api/incidents/${id}/letter-batches/${created.id}`).expect(200)).body).toMatchObject({ status: 'running', letters: PEOPLE - PER_FILE });

    // The lease runs out: one of the two takes the file over, renders it once, and the batch is done.
    for (const r of renderers) r.clock.set(new Date(NOW.getTime() + 31_000));
    await Promise.all([settle(a), settle(b)]);
    files = await rows();
    expect(files[0]).toMatchObject({ status: 'done', attempts: 2 });
    expect([a.owner, b.owner]).toContain(files[0].owner);
    expect(files.slice(1).every((f) => f.attempts === 1)).toBe(true);
    const batch = (await client.http().get(`/api/incidents/${id}/letter-batches/${created.id}`).expect(200)).body;
    expect(batch).toMatchObject({ status: 'done', total: PEOPLE, done: PEOPLE, letters: PEOPLE, emails: 0 });
    expect(batch.files).toEqual(Array.from({ length: PEOPLE / PER_FILE }, (_, i) => `letters-${String(i + 1).padStart(4, '0')}.pdf`));
    const events = await db.all<{ type: string }>(`SELECT "type" FROM "incident_event" WHERE "type" = 'letters.batchGenerated'`);
    expect(events).toHaveLength(1);

    const shared = filesOf(join(t.config.lettersDir, created.id));
    expect([...shared.keys()]).toEqual([...batch.files, 'manifest.csv']); // no temporary file or manifest share left
    const manifest = parse(shared.get('manifest.csv')!.toString('utf8'), { columns: true }) as Record<string, string>[];
    expect(manifest.map((r) => Number(r.person))).toEqual(Array.from({ length: PEOPLE }, (_, i) => i + 1));
    const pdf = await readPdf(join(t.config.lettersDir, created.id, 'letters-0001.pdf'));
    expect(pdf.text.join(' ').replace(/\s+/g, ' ')).toContain('Person Number1 ');

    // The same batch again (it supersedes the first, unsent), rendered by one instance alone, at the same time.
    await b.app.close();
    renderers.pop();
    a.clock.set(NOW);
    const again = (await client.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body;
    await settle(a);
    const alone = filesOf(join(t.config.lettersDir, again.id));
    expect([...alone.keys()]).toEqual([...shared.keys()]);
    for (const [name, bytes] of shared) expect({ name, same: alone.get(name)!.equals(bytes) }).toEqual({ name, same: true });
  }, 180_000);

  // PostgreSQL only: on SQLite the one writer runs such units one after the other by construction.
  // Seen once in CI: two renderers finishing files at the same moment each counted the files
  // without the other's, and the later write lost one file's letters from the batch's progress.
  (testPgServer() ? it : it.skip)('two files finished at the same moment both count in the batch\'s progress', async () => {
    for (const r of renderers.splice(0)) await r.app.close();
    const batch = (await client.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body as { id: string };
    // Its files planned (this instance renders none): both claims below find one.
    await t.app.get(LettersService).settle();
    const runner = t.app.get(TransactionRunner);
    const fileRows = t.app.get(LetterFileRepository);
    const claim = () => runner.transaction((m) => fileRows.claim(m, 'a test renderer', new Date(NOW.getTime() + 30_000).toISOString(), NOW.toISOString()));
    const [f1, f2] = [await claim(), await claim()];
    // Seen once in CI (not reproduced since): the second claim found nothing. Say what the files were.
    if (!f1 || !f2) throw new Error(`a claim found no file: ${JSON.stringify(await testDb(t.config).all('SELECT "batch_id", "no", "status", "owner", "lease_expires_at" FROM "letter_file" WHERE "status" <> $1 OR "batch_id" = $2 ORDER BY "batch_id", "no"', ['done', batch.id]))}, batch ${batch.id}`);
    const recordProgress = (m: EntityManager) => (t.app.get(LetterRendererService) as unknown as { recordProgress(m: EntityManager, batchId: string): Promise<string> }).recordProgress(m, batch.id);
    const ds = t.app.get(DataSource);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The first finishes its file and records progress, then holds its transaction open...
    let recorded!: () => void;
    const firstRecorded = new Promise<void>((r) => (recorded = r));
    const first = ds.transaction(async (m) => {
      await fileRows.complete(m, f1, PER_FILE, PER_FILE);
      await recordProgress(m);
      recorded();
      await held;
    });
    await firstRecorded;
    // ...while the second finishes its own and records progress (it must wait for the first).
    const second = ds.transaction(async (m) => {
      await fileRows.complete(m, f2, PER_FILE, PER_FILE);
      await recordProgress(m);
    });
    expect(await untilLockWaiter(ds)).toBe(1);
    release();
    await Promise.all([first, second]);
    const progress = (await client.http().get(`/api/incidents/${id}/letter-batches/${batch.id}`).expect(200)).body;
    expect(progress).toMatchObject({ status: 'running', done: 2 * PER_FILE, letters: 2 * PER_FILE });
  }, 60_000);
});
