import { ChildProcess, spawn } from 'node:child_process';
import { builtEntry, ROOT } from './run-cli';

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  stdout: () => string;
  /** Stops it with SIGTERM; resolves to the exit code, or the signal Nest re-raises after closing. */
  stop(): Promise<number | string | null>;
}

export interface ExitedProcess {
  code: number | null;
  stdout: string;
  stderr: string;
}

function launch(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, [builtEntry('main')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts the server as `npm start` does (src/main.ts, compiled once per test run) and waits for the address it prints. */
export function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const proc = launch(env);
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}${err}`)), 30_000);
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /running at (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          proc,
          url: m[1],
          stdout: () => out,
          stop: () => new Promise((done) => {
            proc.once('exit', (code, signal) => done(code ?? signal));
            proc.kill('SIGTERM');
          }),
        });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

/** Runs the server expecting it to refuse to start. */
export function runServerToExit(env: NodeJS.ProcessEnv): Promise<ExitedProcess> {
  const proc = launch(env);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
