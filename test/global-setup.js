const { transformFileSync } = require('@swc/core');
const { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');
const { startCluster } = require('./support/pg-cluster');

const ROOT = join(__dirname, '..');
/** Where the tests' child processes (CLI, server) run src/ from: compiled once per test run. */
const BUILD = join(ROOT, '.test-build');

/** Compiles every source file (not the specs) with SWC, the same options as the Jest transform. */
function compileSources() {
  rmSync(BUILD, { recursive: true, force: true });
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts') && !name.endsWith('.spec.ts')) {
        const out = join(BUILD, relative(join(ROOT, 'src'), path)).replace(/\.ts$/, '.js');
        const { code } = transformFileSync(path, {
          jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022', keepClassNames: true },
          module: { type: 'commonjs' },
          sourceMaps: 'inline',
          swcrc: false,
        });
        mkdirSync(join(out, '..'), { recursive: true });
        writeFileSync(out, code);
      }
    }
  };
  walk(join(ROOT, 'src'));
}

module.exports = async () => {
  // Every test runs in UTC, so a date that depends on the machine's zone shows up as a failure.
  process.env.TZ = 'UTC';
  // The CLI and server tests spawn many children: compiling src/ once here (about a second)
  // spares each child its own on-the-fly compile.
  compileSources();
  // A browser suite skipped in this run leaves a note for test/global-teardown.js to repeat.
  rmSync(join(ROOT, 'test-output', 'browser-skipped.txt'), { force: true });
  // BF_TEST_PG=1 without a cluster given: a throw-away PostgreSQL cluster for this run, each test
  // app a fresh database in it (test/support/pg-database.ts); stopped by global-teardown.js.
  if (process.env.BF_TEST_PG === '1' && !process.env.BF_TEST_PG_URL) {
    const cluster = await startCluster();
    process.env.BF_TEST_PG_URL = cluster.url;
    globalThis.__bfPgCluster = cluster;
  }
};
