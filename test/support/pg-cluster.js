// A throw-away PostgreSQL cluster for tests, CI (.ci/run) and `npm run test:pg`: Debian's
// PostgreSQL binaries, a temporary folder, a free port on 127.0.0.1, trust authentication for the
// user `bf`. PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
// CommonJS on purpose: Jest's global setup and plain node (scripts/pg-cluster.js) load it as is.
const { execFileSync } = require('node:child_process');
const { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

/** The newest PostgreSQL under /usr/lib/postgresql (PG_BIN overrides). */
function pgBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) throw new Error('PostgreSQL is not installed: apt-get install postgresql (or set PG_BIN)');
  return join(root, versions[0], 'bin');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a PostgreSQL binary, as `postgres` when this process is root. */
function run(bin, args) {
  const file = join(pgBin(), bin);
  return asRoot
    ? execFileSync('runuser', ['-u', 'postgres', '--', file, ...args], { stdio: 'pipe', cwd: '/' })
    : execFileSync(file, args, { stdio: 'pipe' });
}

/**
 * Starts a cluster; answers { url, dir, stop }. `url` is the maintenance database's
 * (postgres://bf@127.0.0.1:PORT/postgres); tests create one fresh database each under it.
 */
async function startCluster() {
  const dir = mkdtempSync(join(tmpdir(), 'bf-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'bf', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  // fsync off: a throw-away cluster; the durability under test is the application's, not the disk's.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`;
  run('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  return { url: `postgres://bf@127.0.0.1:${port}/postgres`, dir, port, stop };
}

module.exports = { startCluster, pgBin };
