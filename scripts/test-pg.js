#!/usr/bin/env node
// `npm run test:pg` (and .ci/run): starts a throw-away PostgreSQL cluster, runs the integration
// suites (test/pg-suites.js) on it, one fresh database per test app, and stops the cluster.
// Extra arguments go to Jest (e.g. --json --outputFile=...).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');
const { startCluster } = require('../test/support/pg-cluster');
const suites = require('../test/pg-suites');

(async () => {
  const root = join(__dirname, '..');
  const cluster = await startCluster();
  console.log(`== PostgreSQL test cluster on ${cluster.url}`);
  let status = 1;
  try {
    const r = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--runInBand', ...process.argv.slice(2), ...suites], {
      cwd: root, stdio: 'inherit', env: { ...process.env, BF_TEST_PG_URL: cluster.url },
    });
    status = r.status ?? 1;
  } finally {
    cluster.stop();
  }
  process.exit(status);
})().catch((e) => {
  console.error(e.stderr ? e.stderr.toString() : e);
  process.exit(1);
});
