import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable, Transform } from 'node:stream';
import { ZipFile } from 'yazl';
import { createApp } from '../src/app';
import { AttachmentsService } from '../src/attachments/attachments.service';
import { FixedClock } from '../src/clock/clock';
import { loadConfig, loadRulePack, PROJECT_ROOT } from '../src/config/config';
import { DossierService } from '../src/dossier/dossier.service';
import { IncidentsService } from '../src/incidents/incidents.service';
import { RosterService } from '../src/roster/roster.service';
import { PhaseResult, runPhaseFromArgv, summarize } from './harness';

/**
 * The dossier of a large incident: 100k people on the roster and 50 attachments of 1 MB, exported
 * as one ZIP (story PDF, trail, documents, attachments decrypted, manifest). The baseline zips the
 * same 50 MB of plain files with yazl alone (read, deflate, write: the floor the export adds
 * decryption, hashing and the story to). Items are megabytes of attachments; peak RSS is the
 * phase's own process, and should stay flat (streamed) whatever the sizes.
 */

const DIR = join(PROJECT_ROOT, '.bench-tmp', 'dossier');
const PEOPLE = 100_000;
const FILES = 50;
const MB = 1024 * 1024;
const actor = { id: 'bench', via: 'cli' as const };

async function app() {
  mkdirSync(DIR, { recursive: true });
  const base = loadConfig({});
  const config = {
    ...base, databasePath: join(DIR, 'b.sqlite'), lettersDir: join(DIR, 'letters'), templatesOverrideDir: join(DIR, 'templates'),
    attachmentsDir: join(DIR, 'attachments'), attachmentMaxBytes: 2 * MB, outboxDir: join(DIR, 'outbox'), reminderPollSeconds: 0, smtpUrl: null,
  };
  const a = await createApp({ config, rulePack: loadRulePack(config.rulePackPath), clock: new FixedClock(new Date('2026-03-10T15:00:00Z')), logger: false });
  await a.init();
  return a;
}

function plainFile(i: number): string {
  return join(DIR, 'plain', `evidence-${i}.bin`);
}

/** Setup (not a figure to compare): the incident, its 100k-person roster, 50 sealed attachments. */
async function prepare(): Promise<PhaseResult> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(join(DIR, 'plain'), { recursive: true });
  const t0 = performance.now();
  const a = await app();
  const inc = await a.get(IncidentsService).report(actor, { summary: 'bench', facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: PEOPLE } } });
  writeFileSync(join(DIR, 'incident'), inc.id);
  const rows = (function* () {
    yield 'name,state,address1,city,postal_code\n';
    for (let i = 0; i < PEOPLE; i++) yield `Person ${i},NY,${100 + (i % 9000)} Main St,Albany,12207\n`;
  })();
  const summary = await a.get(RosterService).import(inc.id, actor, Readable.from(rows), 'reject');
  if (summary.status !== 'done') throw new Error(`import: ${JSON.stringify(summary).slice(0, 300)}`);
  const lat: bigint[] = [];
  for (let i = 0; i < FILES; i++) {
    // Half compressible (text-like), half not (scans): deflate does real work on both kinds.
    const body = i % 2 === 0 ? Buffer.from('Forensic log line 0123456789 abcdefghij\n'.repeat(Math.ceil(MB / 40))).subarray(0, MB) : randomBytes(MB);
    writeFileSync(plainFile(i), body);
    const s = process.hrtime.bigint();
    await a.get(AttachmentsService).upload(inc.id, actor, {
      'content-type': 'application/octet-stream', 'x-attachment-kind': 'forensic_report', 'x-attachment-description': `Evidence ${i}`, 'x-file-name': `evidence-${i}.bin`,
    }, createReadStream(plainFile(i)));
    lat.push(process.hrtime.bigint() - s);
  }
  await a.close();
  return { ...summarize(lat, (performance.now() - t0) / 1000), items: FILES };
}

/** Baseline: yazl zipping the same 50 plain files, with a SHA-256 of each (what any manifest costs). */
async function zipBaseline(): Promise<PhaseResult> {
  const out = join(DIR, 'baseline.zip');
  rmSync(out, { force: true });
  const zip = new ZipFile();
  const done = new Promise<void>((resolve) => zip.outputStream.pipe(createWriteStream(out)).on('close', () => resolve()));
  const lat: bigint[] = [];
  const t0 = performance.now();
  for (let i = 0; i < FILES; i++) {
    const s = process.hrtime.bigint();
    const hash = createHash('sha256');
    const meter = new Transform({ transform: (c: Buffer, _e, cb) => { hash.update(c); cb(null, c); } });
    const ended = new Promise<void>((resolve) => meter.on('end', () => resolve()));
    zip.addReadStream(createReadStream(plainFile(i)).pipe(meter), `attachments/${i}.bin`);
    await ended;
    hash.digest('hex');
    lat.push(process.hrtime.bigint() - s);
  }
  zip.end();
  await done;
  return { ...summarize(lat, (performance.now() - t0) / 1000), items: FILES };
}

/** The export itself: latency is per attachment written (the story and trail come first, in the total). */
async function exportDossier(): Promise<PhaseResult> {
  if (!existsSync(join(DIR, 'incident'))) throw new Error('run the prepare phase first');
  const a = await app();
  const id = readFileSync(join(DIR, 'incident'), 'utf8');
  const out = join(DIR, 'dossier.zip');
  rmSync(out, { force: true });
  const t0 = performance.now();
  const done = await a.get(DossierService).exportTo(id, actor, out);
  const seconds = (performance.now() - t0) / 1000;
  await a.close();
  if (done.files < FILES) throw new Error(`export: ${done.files} files`);
  const perFile = BigInt(Math.round((seconds * 1e9) / FILES));
  return { ...summarize([perFile], seconds), items: FILES };
}

runPhaseFromArgv({ prepare, zip: zipBaseline, export: exportDossier });
