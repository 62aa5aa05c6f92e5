import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
/** src/ compiled once per test run by test/global-setup.js (its config finds ROOT from there too). */
export const TEST_BUILD = join(ROOT, '.test-build');

/** The compiled entry point of a source file, e.g. builtEntry('cli') is src/cli.ts compiled. */
export function builtEntry(name: string): string {
  const file = join(TEST_BUILD, `${name}.js`);
  if (!existsSync(file)) throw new Error(`${file} is missing: the test run's global setup (test/global-setup.js) compiles src/ there`);
  return file;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `breachflow ARGS` (src/cli.ts, compiled once per run) in a real child process. */
export function runCli(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const result = spawnSync(process.execPath, [builtEntry('cli'), ...args], {
    cwd: ROOT,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
