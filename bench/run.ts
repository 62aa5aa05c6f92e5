import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { compare, costRatios, median, PhaseResult } from './harness';
import { pgMissing } from './pg-bench';
import { reportStartTimes } from './start.bench';

/**
 * `npm run bench`: every benchmark, each beside its baseline measured in the same run.
 * `npm run bench -- <stage>` runs one stage: start, plan, transitions, transitions-pg, reminders,
 * reminders-pg, letters (letters100k, letters1m; letters20k for a quick look), dossier. The -pg stages start a throw-away PostgreSQL cluster (Debian's
 * binaries under /usr/lib/postgresql, or PG_BIN); without them they say they were skipped.
 */
const only = process.argv[2];
console.log(`breachflow benchmarks, node ${process.version}, ${new Date().toISOString()}`);
if (!only || only === 'start') reportStartTimes();
if (!only || only === 'plan') {
  compare('bench/plan: 100,000 varied incident facts', 'plan.bench.ts', [
    { name: 'parse', label: 'baseline: JSON.parse alone' },
    { name: 'plan', label: 'JSON.parse + validate + plan' },
  ]);
  const states = compare('bench/plan: one breach of 600 residents per state, SSNs and medical data', 'plan.bench.ts', [
    { name: 'oneState', label: 'one state (New Jersey)' },
    { name: 'allStates', label: 'all 56 codes at once (54 statutes)' },
  ]);
  const ratio = costRatios(states, 'oneState', 'allStates');
  console.log(`all 56 codes cost ${ratio.p50.toFixed(1)}x one state by p50 latency and ${ratio.total.toFixed(1)}x by total time (goal: under 10x on both)`);
}
const rate = (rs: PhaseResult[] | undefined) => median((rs ?? []).map((r) => r.items / r.seconds));
const p99ms = (rs: PhaseResult[] | undefined) => median((rs ?? []).map((r) => r.p99)) / 1000;
const p50ms = (rs: PhaseResult[] | undefined) => median((rs ?? []).map((r) => r.p50)) / 1000;
const skipped = (stage: string) => {
  const missing = pgMissing();
  if (missing) console.log(`\n${stage}: skipped (${missing})`);
  return missing !== null;
};

if (!only || only === 'transitions') {
  const r = compare('bench/transitions: 2,000 re-planning events, 8 concurrent HTTP clients (SQLite)', 'transitions.bench.ts', [
    { name: 'raw', label: 'baseline: raw sqlite3, same rows, 1 tx each' },
    { name: 'http', label: 'HTTP -> validate, transition, save, audit' },
  ]);
  console.log(`HTTP is ${(rate(r.get('http')) / rate(r.get('raw'))).toFixed(2)}x the raw floor (goal: at least 1x), p99 ${p99ms(r.get('http')).toFixed(1)} ms (goal: under 25 ms)`);
}
if ((!only || only === 'transitions-pg') && !skipped('bench/transitions on PostgreSQL')) {
  // One round: each phase starts its own cluster and servers.
  const r = compare('bench/transitions on PostgreSQL: 2,000 re-planning events, 8 concurrent HTTP clients over the instances', 'transitions.bench.ts', [
    { name: 'pgRaw', label: 'baseline: raw pg, same rows, 1 tx each, 8 conns' },
    { name: 'pg1', label: 'HTTP, 1 instance' },
    { name: 'pg3', label: 'HTTP, 3 instances on one database' },
  ], 1);
  console.log(`3 instances give ${(rate(r.get('pg3')) / rate(r.get('pg1'))).toFixed(2)}x 1 instance (goal: at least 2x); 1 instance is ${(rate(r.get('pg1')) / rate(r.get('pgRaw'))).toFixed(2)}x raw pg`);
}
if (!only || only === 'reminders') {
  const r = compare('bench/reminders: one sweep claiming 100 due reminders (SQLite; items/s = sweeps/s; p50/p99 = one sweep)', 'reminders.bench.ts', [
    { name: 'open0', label: 'baseline: 100 due, nothing else open' },
    { name: 'open1k', label: '100 due + 1,000 open obligations' },
    { name: 'open10k', label: '100 due + 10,000 open obligations' },
    { name: 'open100k', label: '100 due + 100,000 open obligations' },
  ], 1);
  console.log(`one sweep (p50): ${['open0', 'open1k', 'open10k', 'open100k'].map((n) => `${p50ms(r.get(n)).toFixed(0)} ms`).join(', ')} (goal: under 50 ms, flat)`);
}
if ((!only || only === 'reminders-pg') && !skipped('bench/reminders on PostgreSQL')) {
  const r = compare('bench/reminders on PostgreSQL: one sweep claiming 100 due reminders (items/s = sweeps/s; p50/p99 = one sweep)', 'reminders.bench.ts', [
    { name: 'pgOpen0', label: 'baseline: 100 due, nothing else open' },
    { name: 'pgOpen1k', label: '100 due + 1,000 open obligations' },
    { name: 'pgOpen10k', label: '100 due + 10,000 open obligations' },
    { name: 'pgOpen100k', label: '100 due + 100,000 open obligations' },
  ], 1);
  console.log(`one sweep (p50): ${['pgOpen0', 'pgOpen1k', 'pgOpen10k', 'pgOpen100k'].map((n) => `${p50ms(r.get(n)).toFixed(0)} ms`).join(', ')} (goal: under 50 ms, flat)`);
}
/** bench/compiled.js: the letters' phases run the product's compiled JavaScript (dist/), no TypeScript loader in the process. */
const COMPILED_LOADER = join(__dirname, 'compiled.js');

/** dist/ built (`npm run build`, when stale) and the letters' bench files compiled beside it (see bench/compiled.js): the phase script's path. */
function compiledLetters(): string {
  const root = join(__dirname, '..');
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.js'), '--if-stale'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('bench/letters: the build of dist/ failed');
  const out = join(root, '.bench-tmp', 'bench');
  mkdirSync(out, { recursive: true });
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };
  for (const name of ['letters.bench', 'harness']) {
    writeFileSync(join(out, `${name}.js`), ts.transpileModule(readFileSync(join(__dirname, `${name}.ts`), 'utf8'), { compilerOptions: options }).outputText);
  }
  return join(out, 'letters.bench.js');
}

/**
 * bench/letters at one size: the import once, then rounds alternating each baseline with its
 * subject (bare Handlebars on the same letters, render, pdfkit alone, PDF batch; the earlier fixed-model
 * Handlebars baseline beside them for comparison), so machine load hits both alike.
 * Phases run the compiled product (dist/, see bench/compiled.js); the medians are compared against the goals.
 */
function letters(size: '20k' | '100k' | '1m', rounds: number): void {
  const script = compiledLetters();
  const results = compare(`bench/letters ${size} on the compiled product (dist/): a generated roster through import, render and PDF (items = people; letters for PDF)`, script, [
    { name: `import${size}`, label: `import ${size} (stream, seal, stage, re-plan)`, once: true },
    { name: 'handlebarsFixed', label: 'earlier baseline: Handlebars, 1 fixed model' },
    { name: `handlebars${size}`, label: 'baseline: bare Handlebars, same letters' },
    { name: `render${size}`, label: `render ${size} (open sealed row + letter)` },
    { name: `pdfkit${size}`, label: `baseline: pdfkit alone, same letters, ${size}` },
    { name: `pdf${size}`, label: `PDF batch ${size} (worker threads + manifest)` },
  ], rounds, COMPILED_LOADER);
  const render = costRatios(results, `handlebars${size}`, `render${size}`);
  console.log(`render costs ${render.p50.toFixed(1)}x bare Handlebars on the same letters by p50 latency and ${render.total.toFixed(1)}x by total time (goal: within 2x)`);
  const fixed = costRatios(results, 'handlebarsFixed', `render${size}`);
  console.log(`  (against the earlier baseline, one fixed model and its text never read: ${fixed.p50.toFixed(1)}x by p50, ${fixed.total.toFixed(1)}x by total time)`);
  const pdf = costRatios(results, `pdfkit${size}`, `pdf${size}`);
  console.log(`PDF batch throughput ${(100 / pdf.total).toFixed(0)}% of pdfkit alone on the same workers (goal: at least 90%)`);
  const rss = Math.max(...(results.get(`pdf${size}`) ?? []).map((x) => x.maxRssMb));
  console.log(`PDF batch peak RSS ${rss.toFixed(0)} MB at ${size}, the highest of ${rounds} round(s) (goal: under 300 MB at 100k and at 1M)`);
}
if (!only || only === 'letters' || only === 'letters100k') letters('100k', 3);
// One round: the 1M PDF stage alone takes many minutes. Stages of one size share a database.
if (!only || only === 'letters' || only === 'letters1m') letters('1m', 1);
// Not in the full run: a quick look at a change (a few minutes).
if (only === 'letters20k') letters('20k', 3);
if (!only || only === 'dossier') {
  // One round: the setup imports 100k people. Items are 1 MB attachments.
  compare('bench/dossier: an incident with 100k people and 50 x 1 MB attachments, exported as one ZIP (items = attachments)', 'dossier.bench.ts', [
    { name: 'prepare', label: 'setup: import 100k, attach 50 x 1 MB (sealed)' },
    { name: 'zip', label: 'baseline: yazl + SHA-256 of the plain files' },
    { name: 'export', label: 'dossier export (decrypt, hash, story, ZIP)' },
  ], 1);
}
