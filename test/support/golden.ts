import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const GOLDEN = join(__dirname, '..', 'golden');
/**
 * Compares with the golden file; a missing one fails (in CI or not) with how to create it, so a
 * new document cannot pass by being compared with itself.
 */
export function golden(name: string, actual: string, env: NodeJS.ProcessEnv = process.env, dir = GOLDEN): void {
  const path = join(dir, name);
  if (env.UPDATE_GOLDEN === '1') {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path, actual);
  } else if (!existsSync(path)) {
    throw new Error(`golden file ${name} is missing in ${dir}: review the output, then create it with UPDATE_GOLDEN=1 npx jest ${relative(process.cwd(), expect.getState().testPath ?? '')}`);
  }
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
