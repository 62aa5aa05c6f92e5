import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Architecture rule 1: the domain is pure. No framework, no I/O, no clock. */

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

const FORBIDDEN: [RegExp, string][] = [
  [/from '@nestjs\//, 'imports NestJS'],
  [/from 'typeorm'/, 'imports TypeORM'],
  [/from '(node:)?(fs|path|child_process|net|http)'/, 'does I/O'],
  [/from '(nodemailer|handlebars)'/, 'sends or renders'],
  [/\bDate\.now\(/, 'reads the clock'],
  [/new Date\(\)/, 'reads the clock'],
  [/\bprocess\./, 'reads the process'],
  [/Math\.random\(/, 'is not deterministic'],
  // XState timers and actors do not survive a stored snapshot; durable time lives in tables.
  [/\bafter:\s*\{/, 'uses XState delayed transitions (after)'],
  [/\binvoke:/, 'invokes an actor'],
  [/\bspawn(Child)?\(/, 'spawns an actor'],
];

describe('src/domain', () => {
  const files = sources(__dirname);

  it('has sources to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it('is pure', () => {
    const problems = files.flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      return FORBIDDEN.filter(([re]) => re.test(text)).map(([, what]) => `${relative(__dirname, file)} ${what}`);
    });
    expect(problems).toEqual([]);
  });
});
