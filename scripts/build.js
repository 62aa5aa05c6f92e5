#!/usr/bin/env node
'use strict';
// Compiles src/ to dist/ with tsc and stamps dist/ when the compile succeeded.
// `--if-stale` (what `npm start` runs first) compiles only when a source is newer than the stamp,
// so a start after `npm install` (whose `prepare` built once) does not compile at all.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const STAMP = join(ROOT, 'dist', '.built');
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time (ms) among the files that make up the build. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let max = s.mtimeMs;
  for (const name of readdirSync(path)) if (!name.endsWith('.spec.ts')) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** Why a build is needed, or null when dist/ is up to date. */
function staleReason() {
  if (!existsSync(STAMP)) return 'dist/ has not been built yet';
  const built = statSync(STAMP).mtimeMs;
  const changed = INPUTS.find((p) => newest(join(ROOT, p)) > built);
  return changed ? `${changed} changed since the last build` : null;
}

function build() {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('breachflow: the TypeScript build failed (see above); dist/ is not stamped, the next start builds again\n');
    process.exit(r.status ?? 1);
  }
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv.includes('--if-stale')) {
  const reason = staleReason();
  if (reason) {
    process.stderr.write(`breachflow: building (${reason})...\n`);
    build();
  }
} else {
  build();
}

module.exports = { staleReason };
