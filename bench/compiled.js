'use strict';
/**
 * Runs a bench phase on the product's compiled JavaScript (node -r ./bench/compiled.js
 * .bench-tmp/bench/letters.bench.js <phase>): the product runs dist/ (`npm start`), compiled by tsc
 * (`npm run build`), with no TypeScript loader in the process. The bench's own files are compiled
 * by bench/run.ts into .bench-tmp/bench/ (TypeScript's transpileModule, before the phases start);
 * their `../src/...` imports are answered from dist/. A phase's peak RSS is then the product's own,
 * without the ~50 MB of bench/register.js (the swc binary) or the ~100 MB of @swc-node/register.
 */
const Module = require('node:module');
const { join, sep } = require('node:path');

const ROOT = join(__dirname, '..');
const OUT = join(ROOT, '.bench-tmp', 'bench') + sep;
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const from = parent && parent.filename;
  const target = from && from.startsWith(OUT) && request.startsWith('../src/') ? join(ROOT, 'dist', request.slice('../src/'.length)) : request;
  return resolve.call(this, target, parent, ...rest);
};
