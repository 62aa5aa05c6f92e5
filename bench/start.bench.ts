import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PhaseResult, runPhaseFromArgv } from './harness';

/**
 * bench/start: wall time from launching the command to the first 200 on /api/health, on a fresh
 * database. The baseline is a bare Node HTTP server answering 200 (the floor of any start).
 * `npm start` with dist/ up to date must not compile (the prestart step only compares dates).
 */

const ROOT = join(__dirname, '..');
const BARE = "require('node:http').createServer((q, s) => s.end('ok')).listen(0, '127.0.0.1', function () { console.log('running at http://127.0.0.1:' + this.address().port); })";

function timeToHealthy(command: string, args: string[]): Promise<PhaseResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bf-bench-start-'));
  const started = process.hrtime.bigint();
  const proc = spawn(command, args, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', DATABASE_PATH: join(dir, 'b.sqlite'), OUTBOX_DIR: join(dir, 'outbox'), LETTERS_DIR: join(dir, 'letters') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let polling = false;
  proc.stderr.on('data', (d) => (err += d));
  return new Promise<PhaseResult>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within 120 s: ${out}${err}`)), 120_000);
    proc.once('exit', (code) => reject(new Error(`exited with ${code}: ${err}`)));
    proc.stdout.on('data', (d) => {
      out += d;
      const url = /running at (\S+)/.exec(out)?.[1];
      if (!url || polling) return;
      polling = true;
      const poll = (): void => {
        fetch(`${url}/api/health`).then((r) => (r.status === 200 ? done() : setTimeout(poll, 10)), () => setTimeout(poll, 10));
      };
      const done = (): void => {
        const ns = process.hrtime.bigint() - started;
        clearTimeout(timer);
        proc.removeAllListeners('exit');
        process.kill(-proc.pid!, 'SIGTERM');
        rmSync(dir, { recursive: true, force: true });
        const ms = Number(ns) / 1e6;
        resolve({ items: 1, seconds: ms / 1000, p50: ms * 1000, p99: ms * 1000, maxRssMb: 0 });
      };
      poll();
    });
  });
}

const PHASES = {
  bare: { label: 'baseline: bare node http server', run: () => timeToHealthy(process.execPath, ['-e', BARE]) },
  start: { label: 'npm start (dist/ up to date: no compile)', run: () => timeToHealthy('npm', ['start', '--silent']) },
  dev: { label: 'npm run dev (from the TypeScript sources)', run: () => timeToHealthy('npm', ['run', 'dev', '--silent']) },
};

/** Each start in its own child, rounds alternating; prints the median and spread in milliseconds. */
export function reportStartTimes(rounds = 3): void {
  const ms = new Map<string, number[]>(Object.keys(PHASES).map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (const name of Object.keys(PHASES)) {
      const run = spawnSync(process.execPath, ['-r', '@swc-node/register', __filename, name], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`start ${name} failed: ${run.stderr}`);
      ms.get(name)!.push((JSON.parse(run.stdout.trim().split('\n').pop()!) as PhaseResult).seconds * 1000);
    }
  }
  console.log(`\nbench/start: launch to the first 200 on /api/health, fresh database (${rounds} rounds, ms)`);
  console.log(`${'phase'.padEnd(44)}${'median'.padStart(10)}${'min'.padStart(10)}${'max'.padStart(10)}`);
  for (const [name, p] of Object.entries(PHASES)) {
    const xs = [...ms.get(name)!].sort((a, b) => a - b);
    console.log(`${p.label.padEnd(44)}${xs[Math.floor(xs.length / 2)].toFixed(0).padStart(10)}${xs[0].toFixed(0).padStart(10)}${xs[xs.length - 1].toFixed(0).padStart(10)}`);
  }
}

if (require.main === module) runPhaseFromArgv(Object.fromEntries(Object.entries(PHASES).map(([k, p]) => [k, p.run])));
