import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { performance } from 'node:perf_hooks';
import Handlebars from 'handlebars';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { loadConfig, loadRulePack, PROJECT_ROOT } from '../src/config/config';
import { letterFor, noticeModel } from '../src/domain/letters/documents';
import { IncidentsService } from '../src/incidents/incidents.service';
import { LetterTemplates } from '../src/letters/letter-templates';
import { LettersService } from '../src/letters/letters.service';
import { CHUNK, PdfPool } from '../src/letters/pdf-pool';
import { APP_CONFIG } from '../src/config/config.module';
import { deliveryOf } from '../src/domain/roster/roster';
import { RosterPersonRepository } from '../src/roster/roster-person.repository';
import { TransactionRunner } from '../src/persistence/transaction-runner';
import { RosterService } from '../src/roster/roster.service';
import { SettingsService } from '../src/settings/settings.service';
import { PhaseResult, runPhaseFromArgv, summarize } from './harness';

/**
 * A generated roster of 100k or 1M people through the three stages: import (stream, validate,
 * seal, stage, activate, re-plan), render (open each sealed row, build its letter, Handlebars) and
 * PDF (the full batch: render + pdfkit on worker threads + manifest). The render's baseline is bare
 * Handlebars on the same letters (the roster's own models, built before its clock starts); the
 * PDF's is pdfkit alone on the same letters and workers. Each stage runs in its own process (under
 * `npm run bench`, on the compiled product: bench/compiled.js), so its peak RSS is its own; flat
 * memory means the 1M figure is close to the 100k one.
 */

const actor = { id: 'bench', via: 'system' as const };
const ROOT = join(PROJECT_ROOT, '.bench-tmp', 'letters');
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Margaret', 'Dennis', 'Radia', 'John', 'Katherine', 'Tim'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Allen', 'Thompson', 'Hamilton', 'Ritchie', 'Perlman', 'Backus', 'Johnson', 'Lee'];
const STATES = ['NY', 'NY', 'NY', 'NJ', 'CT', 'PA', 'MA', 'CA', 'TX', 'FL'];

/** A deterministic roster: mostly mailable, a few by email, deceased, minors, and without an address. */
function writeRoster(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('name,state,address1,address2,city,postal_code,email,email_consent,status,representative_name,representative_role\n');
  let i = 0;
  return new Promise((resolve, reject) => {
    const more = () => {
      let ok = true;
      while (i < n && ok) {
        const name = `${FIRST[i % FIRST.length]} ${LAST[Math.floor(i / FIRST.length) % LAST.length]} ${i}`;
        const state = STATES[i % STATES.length];
        const kind = i % 100;
        const addr = kind === 99 ? ',,,' : `${100 + (i % 9000)} Main St,,Springfield,${String(10000 + (i % 89999)).padStart(5, '0')}`;
        const email = kind < 5 ? `p${i}@mail.example,yes` : ',';
        const status = kind === 50 ? `deceased,Kin of ${i},next_of_kin` : kind === 51 || kind === 52 ? `minor,Parent of ${i},parent` : ',,';
        ok = out.write(`${name},${state},${addr},${email},${status}\n`);
        i++;
      }
      if (i < n) out.once('drain', more);
      else out.end();
    };
    out.on('finish', resolve).on('error', reject);
    more();
  });
}

const CONTENT = {
  whatHappened: 'An unauthorized party accessed our scheduling server.', breachDates: { start: '2026-02-20', end: '2026-02-28' },
  phiTypes: ['name', 'address', 'date_of_birth'], stepsForIndividuals: 'Review statements from your insurer.', whatWeAreDoing: 'We rebuilt the server and added monitoring.',
};

async function app(dir: string, fresh: boolean) {
  if (fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const base = loadConfig({});
  const config = {
    ...base, databasePath: join(dir, 'b.sqlite'), lettersDir: join(dir, 'letters'), templatesOverrideDir: join(dir, 'templates'),
    outboxDir: join(dir, 'outbox'), reminderPollSeconds: 0, smtpUrl: null,
  };
  const a = await createApp({ config, rulePack: loadRulePack(config.rulePackPath), clock: new FixedClock(new Date('2026-03-10T15:00:00Z')), logger: false });
  await a.init();
  return a;
}

function sizeDir(n: number): string {
  return join(ROOT, n >= 1_000_000 ? `${n / 1_000_000}m` : `${n / 1000}k`);
}

/** Stage 1: a fresh database, one incident, the roster streamed in. */
async function importStage(n: number): Promise<PhaseResult> {
  const dir = sizeDir(n);
  const csv = join(ROOT, `roster-${n}.csv`);
  mkdirSync(ROOT, { recursive: true });
  if (!existsSync(csv)) await writeRoster(csv, n);
  const a = await app(dir, true);
  await a.get(SettingsService).update(actor, { practiceName: 'Bench Clinic', contact: { tollFreePhone: '1-800-555-0100', website: 'https://bench.example' } });
  const inc = await a.get(IncidentsService).report(actor, { summary: 'bench', facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 1 } } });
  await a.get(LettersService).putContent(inc.id, actor, CONTENT);
  writeFileSync(join(dir, 'incident'), inc.id);
  // Preallocated: a growing array of a million bigints would itself look like a leak.
  const lat = new BigInt64Array(n);
  let last = process.hrtime.bigint();
  let lastRows = 0;
  const t0 = performance.now();
  const summary = await a.get(RosterService).import(inc.id, actor, createReadStream(csv).pipe(new Transform({ transform: (c, _e, cb) => cb(null, c) })), 'reject', (rows) => {
    const now = process.hrtime.bigint();
    const per = (now - last) / BigInt(Math.max(1, rows - lastRows));
    lat.fill(per, lastRows, rows);
    last = now;
    lastRows = rows;
  });
  const seconds = (performance.now() - t0) / 1000;
  if (summary.status !== 'done' || summary.imported !== n) throw new Error(`import: ${JSON.stringify(summary).slice(0, 500)}`);
  await a.close();
  return { ...summarize(lat.subarray(0, lastRows), seconds), items: n };
}

/** The batch's letter as the renderer has it (the notice model), and the templates. */
async function letterContext(a: Awaited<ReturnType<typeof app>>, id: string, dir: string) {
  const tpl = new LetterTemplates(join(dir, 'templates'));
  const settings = await a.get(SettingsService).get();
  const { snapshot } = await a.get(TransactionRunner).read((m) => a.get(IncidentsService).load(m, id));
  const notice = noticeModel({ practiceName: settings.practiceName, contact: settings.contact, content: CONTENT as never, context: snapshot.context, today: '2026-03-10' });
  if (!notice.ok) throw new Error('notice incomplete');
  return { notice: notice.model, tpl };
}

/** Stage 2: every person's letter text from the sealed rows (no PDF). Latency is one letter's: open its sealed row, build its model, render it. */
async function renderStage(n: number): Promise<PhaseResult> {
  const dir = sizeDir(n);
  const a = await app(dir, false);
  const id = readFileSync(join(dir, 'incident'), 'utf8');
  const { notice, tpl } = await letterContext(a, id, dir);
  const roster = a.get(RosterService);
  const lat = new BigInt64Array(n);
  let count = 0;
  let bytes = 0;
  const t0 = performance.now();
  let after = 0;
  let reading = 0;
  for (;;) {
    const r0 = performance.now();
    const rows = await a.get(TransactionRunner).read((m) => a.get(RosterPersonRepository).page(m, id, after, 1000));
    reading += performance.now() - r0;
    if (!rows.length) break;
    after = rows[rows.length - 1].seq;
    for (const row of rows) {
      const s = process.hrtime.bigint();
      const person = roster.openPerson(id, row);
      const { variant, model } = letterFor(notice, person);
      bytes += use(tpl.renderIn(variant, model, person.language).text);
      lat[count++] = process.hrtime.bigint() - s;
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  if (count !== n || bytes === 0) throw new Error(`render: ${count} of ${n}`);
  await a.close();
  // The total counts the pages of sealed rows read from the database; a letter's latency does not.
  return { ...summarize(lat, seconds), note: `reading the rows ${(reading / 1000).toFixed(2)} s of ${seconds.toFixed(2)} s` };
}

/** Stage 3: the whole batch, PDFs on worker threads and the manifest. Latency is per 1,000-letter file. */
async function pdfStage(n: number): Promise<PhaseResult> {
  const dir = sizeDir(n);
  const a = await app(dir, false);
  const id = readFileSync(join(dir, 'incident'), 'utf8');
  const letters = a.get(LettersService);
  const t0 = performance.now();
  const batch = await letters.createBatch(id, actor);
  await letters.settle();
  const seconds = (performance.now() - t0) / 1000;
  const done = await letters.batch(id, batch.id);
  if (done.status !== 'done') throw new Error(`pdf: ${done.error}`);
  const workers = a.get(APP_CONFIG).letterWorkers;
  await a.close();
  rmSync(join(dir, 'letters'), { recursive: true, force: true });
  // Per-letter latency is not observable inside a worker's file; report the mean as both.
  const perLetterNs = BigInt(Math.round((seconds * 1e9) / done.letters));
  return { ...summarize([perLetterNs], seconds), items: done.letters, note: `${done.letters} letters, ${done.pages} pages, ${workers} workers` };
}

/** The one fixed model of the earlier render baseline (the plain letter, without a state offer). */
function baselineModel() {
  return {
    practiceName: 'Bench Clinic', reference: 'BF-2026-0001', whatHappened: CONTENT.whatHappened, breachDateText: 'x', discoveryDateText: 'y',
    phiTypes: ['name', 'address'], otherPhi: null, stepsForIndividuals: CONTENT.stepsForIndividuals, whatWeAreDoing: CONTENT.whatWeAreDoing, creditMonitoring: null,
    contact: { tollFreePhone: '1-800-555-0100', email: null, website: 'https://bench.example', postalAddressLines: null }, signatoryName: null, signatoryTitle: null,
    dateText: 'March 10, 2026', addressee: 'Ada Lovelace 1', addressLines: ['100 Main St', 'Springfield, NY 10000'], patientName: 'Ada Lovelace 1', roleWords: null,
  };
}

/**
 * What a phase does with a letter's text: reads its last character. Handlebars answers a rope (a
 * string of concatenated pieces); anything that uses the letter (the copy to a PDF worker, a file
 * write) makes it one flat string first. Read inside the timer of both the baseline and the render,
 * so neither is charged for work the other leaves undone (the render's blank-line collapse already
 * flattens its text; the bare template's would otherwise never be).
 */
const use = (text: string) => text.charCodeAt(text.length - 1);

/** Bare Handlebars: the shipped templates and partials, compiled as LetterTemplates does, nothing else. */
function bareTemplates(): Map<string, HandlebarsTemplateDelegate> {
  const hbs = Handlebars.create();
  const dir = join(PROJECT_ROOT, 'templates', 'letters');
  // Every partial the letter uses (a fixed list went stale when the letter gained a partial).
  for (const f of readdirSync(join(dir, 'partials')).filter((x) => x.endsWith('.hbs'))) hbs.registerPartial(f.slice(0, -4), readFileSync(join(dir, 'partials', f), 'utf8'));
  const compiled = new Map<string, HandlebarsTemplateDelegate>();
  for (const name of ['individual', 'individual-next-of-kin', 'individual-guardian']) compiled.set(name, hbs.compile(readFileSync(join(dir, `${name}.hbs`), 'utf8'), { strict: true, noEscape: true }));
  return compiled;
}

/**
 * The earlier baseline, printed for comparison: one fixed model (the plain letter, no state offer),
 * 100k times, its output never read. It renders a shorter letter than the roster's average (a
 * third of the roster's letters carry a state's offer; some are to a parent or next of kin).
 */
function handlebarsFixed(): PhaseResult {
  const render = bareTemplates().get('individual')!;
  const model = baselineModel();
  const n = 100_000;
  const lat = new BigInt64Array(n);
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const s = process.hrtime.bigint();
    bytes += render({ ...model, addressee: `Ada Lovelace ${i}` }).length;
    lat[i] = process.hrtime.bigint() - s;
  }
  if (!bytes) throw new Error('nothing rendered');
  return summarize(lat, (performance.now() - t0) / 1000);
}

/**
 * Baseline for the render: bare Handlebars on the same letters the render stage builds. The models
 * of the roster's first 20,000 people (every variant and state offer of the generated roster in its
 * proportions; the roster repeats every 100 people) are built from their sealed rows before the
 * clock starts; then each is rendered through its variant's template, cycled to the stage's count,
 * its text read as the render's is. No sealed row, no letterFor, no collapse: the floor.
 */
async function handlebarsBaseline(n: number): Promise<PhaseResult> {
  const size = sizeDir(n);
  const a = await app(size, false);
  const id = readFileSync(join(size, 'incident'), 'utf8');
  const { notice } = await letterContext(a, id, size);
  const models: ReturnType<typeof letterFor>[] = [];
  for await (const page of a.get(RosterService).people(id)) {
    for (const { person } of page) if (models.length < 20_000) models.push(letterFor(notice, person));
    if (models.length >= 20_000) break;
  }
  await a.close();
  const compiled = bareTemplates();
  const count = Math.min(n, 100_000);
  const lat = new BigInt64Array(count);
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const { variant, model } = models[i % models.length];
    const s = process.hrtime.bigint();
    bytes += use(compiled.get(variant)!(model));
    lat[i] = process.hrtime.bigint() - s;
  }
  if (!bytes) throw new Error('nothing rendered');
  return summarize(lat, (performance.now() - t0) / 1000);
}

/**
 * Baseline for the PDF stage: pdfkit alone laying out the same letters the batch does, on the
 * same pool (same fonts, same number of workers, files of the same size): the real letters of
 * the roster's first 1,000 mailable people (every variant and state offer of the generated roster,
 * in its proportions), rendered before the clock starts and cycled to the batch's letter count.
 * No database, no sealed rows, no manifest; its page count is printed beside the batch's.
 */
async function pdfkitBaseline(n: number): Promise<PhaseResult> {
  const size = sizeDir(n);
  const a = await app(size, false);
  const id = readFileSync(join(size, 'incident'), 'utf8');
  const { notice, tpl } = await letterContext(a, id, size);
  const sample: string[] = [];
  let mailable = 0;
  for await (const page of a.get(RosterService).people(id)) {
    for (const { person } of page) {
      if (deliveryOf(person, false) !== 'mail') continue;
      mailable++;
      if (sample.length < 1000) {
        const { variant, model } = letterFor(notice, person);
        sample.push(tpl.renderIn(variant, model, person.language).text);
      }
    }
  }
  const perFile = a.get(APP_CONFIG).lettersPerFile;
  const workers = Math.max(1, a.get(APP_CONFIG).letterWorkers);
  await a.close();
  const dir = join(ROOT, 'pdfkit-baseline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const pool = new PdfPool(workers);
  let pages = 0;
  const t0 = performance.now();
  const files: Promise<void>[] = [];
  for (let f = 0; f * perFile < mailable; f++) {
    const count = Math.min(perFile, mailable - f * perFile);
    // One file per worker at a time, as the batch draws them (open waits for a free worker).
    const file = await pool.open({ path: join(dir, `f${f}.pdf`), title: 'baseline', createdAt: '2026-03-10T15:00:00.000Z' });
    files.push((async () => {
      for (let i = 0; i < count; i += CHUNK) await file.write(Array.from({ length: Math.min(CHUNK, count - i) }, (_x, k) => sample[(i + k) % sample.length]));
      const done = await file.end(); // not `pages += await ...`: that reads pages before the wait and loses other files' counts
      pages += done.pages;
    })());
  }
  await Promise.all(files);
  const seconds = (performance.now() - t0) / 1000;
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
  return { ...summarize([BigInt(Math.round((seconds * 1e9) / mailable))], seconds), items: mailable, note: `${mailable} letters, ${pages} pages, ${workers} workers` };
}

runPhaseFromArgv({
  handlebarsFixed,
  handlebars20k: () => handlebarsBaseline(20_000),
  handlebars100k: () => handlebarsBaseline(100_000),
  handlebars1m: () => handlebarsBaseline(1_000_000),
  // 20k: not in `npm run bench`; for measuring a change quickly (node -r @swc-node/register bench/letters.bench.ts pdf20k).
  import20k: () => importStage(20_000),
  render20k: () => renderStage(20_000),
  pdfkit20k: () => pdfkitBaseline(20_000),
  pdf20k: () => pdfStage(20_000),
  pdfkit100k: () => pdfkitBaseline(100_000),
  pdfkit1m: () => pdfkitBaseline(1_000_000),
  import100k: () => importStage(100_000),
  render100k: () => renderStage(100_000),
  pdf100k: () => pdfStage(100_000),
  import1m: () => importStage(1_000_000),
  render1m: () => renderStage(1_000_000),
  pdf1m: () => pdfStage(1_000_000),
});
