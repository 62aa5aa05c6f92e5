import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Where the browser tests find Chromium: CHROMIUM_PATH when set (and naming a file), else a
 * `chromium` on PATH. Nothing is downloaded.
 */
export type ChromiumLookup =
  | { found: true; path: string }
  | { found: false; reason: string };

export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const named = env.CHROMIUM_PATH;
  if (named) return existsSync(named) ? { found: true, path: named } : { found: false, reason: `CHROMIUM_PATH names no file (${named})` };
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const path = join(dir, name);
      if (existsSync(path)) return { found: true, path };
    }
  }
  return { found: false, reason: 'CHROMIUM_PATH is not set and there is no chromium on PATH' };
}

export const HOW_TO_GET_CHROMIUM = "install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH to a Chromium executable";

/**
 * What a browser suite does without Chromium: outside CI it is skipped with one loud line saying
 * what was not tested; with CI set it runs and fails, naming the suite, so CI never skips it.
 */
export function browserSuitePlan(suite: string, env: NodeJS.ProcessEnv = process.env):
  { run: true; path: string } | { run: false; line: string } | { run: true; path: null; failure: string } {
  const c = findChromium(env);
  if (c.found) return { run: true, path: c.path };
  if (env.CI) return { run: true, path: null, failure: `browser suite "${suite}" cannot run: ${c.reason}. CI is set, so a missing Chromium is a failure: ${HOW_TO_GET_CHROMIUM}` };
  return { run: false, line: `SKIPPED browser suite "${suite}" (${c.reason}): the web app was NOT tested in a browser. To run it, ${HOW_TO_GET_CHROMIUM}.` };
}

/** Written by a skipped browser suite; test/global-teardown.js repeats it as the run's last line. */
export const SKIP_NOTE = join(__dirname, '..', '..', 'test-output', 'browser-skipped.txt');

/** Says loudly, now and again at the end of the run, that the browser suite was skipped. */
export function announceSkip(line: string): void {
  process.stderr.write(`\n${line}\n\n`);
  mkdirSync(join(SKIP_NOTE, '..'), { recursive: true });
  writeFileSync(SKIP_NOTE, `${line}\n`);
}
