import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * PostgreSQL for the benchmarks: the tests' throw-away cluster (test/support/pg-cluster.js: initdb
 * in a temporary folder, a free local port, fsync off, as the postgres user when run as root),
 * and breachflow servers started as separate processes on one database (each instance is its own
 * node process, as in production behind a load balancer).
 */

// CommonJS helper shared with the tests and .ci/run.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cluster = require('../test/support/pg-cluster.js') as {
  pgBin(): string;
  startCluster(): Promise<{ url: string; stop(): void }>;
};

const ROOT = join(__dirname, '..');

/** Why the PostgreSQL stages cannot run here (no binaries), or null when they can. */
export function pgMissing(): string | null {
  try {
    cluster.pgBin();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Runs `work` with a fresh database in a throw-away cluster, then stops the cluster. */
export async function withPgDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const c = await cluster.startCluster();
  try {
    const admin = new Client({ connectionString: c.url });
    await admin.connect();
    await admin.query('CREATE DATABASE "bf_bench"');
    await admin.end();
    const url = new URL(c.url);
    url.pathname = '/bf_bench';
    return await work(url.toString());
  } finally {
    c.stop();
  }
}

export interface Server {
  port: number;
  stop(): Promise<void>;
}

/** A breachflow server process as `npm run dev` starts it, with `env`; resolves once it listens. */
export function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const proc: ChildProcess = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 120_000);
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /running at http:\/\/[^:]+:(\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        port: Number(m[1]),
        stop: () => new Promise((done) => {
          proc.once('exit', () => done());
          proc.kill('SIGTERM');
        }),
      });
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}
