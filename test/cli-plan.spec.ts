import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFromInput } from '../src/domain/rules/plan';
import { shippedPack } from './factories/facts';
import { runCli } from './support/run-cli';

const examplePath = join(__dirname, 'fixtures', 'contract-examples', '02-small-breach-annual-log.json');
const facts = JSON.parse(readFileSync(examplePath, 'utf8')).facts;
const dir = mkdtempSync(join(tmpdir(), 'breachflow-cli-'));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

describe('breachflow plan', () => {
  it('prints the plan for a file as JSON and exits 0', () => {
    const run = runCli(['plan', write('facts.json', facts)]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const expected = planFromInput(facts, shippedPack);
    expect(JSON.parse(run.stdout)).toEqual(expected.ok && expected.value);
  });

  it('reads standard input for -', () => {
    const run = runCli(['plan', '-'], { input: JSON.stringify(facts) });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).obligations.map((o: { audience: string }) => o.audience)).toEqual(['individuals', 'hhs']);
  });

  it('exits 2 on invalid facts, one line per problem on standard error and nothing on standard output', () => {
    const bad = { ...facts, discovery: { date: '2026-02-30' }, affected: { total: 5, byJurisdiction: { XX: 1 } } };
    const run = runCli(['plan', write('bad.json', bad)]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([
      'discovery.date: must be a calendar date written YYYY-MM-DD, got "2026-02-30"',
      'affected.byJurisdiction.XX: unknown jurisdiction (use a two-letter state code, DC, PR, GU, VI, AS or MP)',
    ]);
  });

  it('refuses a discovery after today (the practice\'s time zone), naming the field; --as-of plans as of another day', () => {
    // The example was discovered on 2026-11-02; planning as of 2026-01-01 is planning the future.
    const before = runCli(['plan', write('asof.json', facts), '--as-of', '2026-01-01']);
    expect([before.status, before.stdout]).toEqual([2, '']);
    expect(before.stderr.trim()).toMatch(/^discovery\.date: \d{4}-\d{2}-\d{2} is after today \(2026-01-01 where the practice is\): a breach cannot be discovered in the future/);
    const onTheDay = runCli(['plan', write('asof2.json', facts), '--as-of', facts.discovery.date]);
    expect(onTheDay.status).toBe(0);
    // No --as-of: today on the machine's clock, and 2100 is after any today this test will see.
    const future = runCli(['plan', '-'], { input: JSON.stringify({ ...facts, discovery: { date: '2100-06-01' } }) });
    expect([future.status, future.stdout]).toEqual([2, '']);
    expect(future.stderr).toMatch(/^discovery\.date: 2100-06-01 is after today/);
    const bad = runCli(['plan', write('asof3.json', facts), '--as-of', 'yesterday']);
    expect([bad.status, bad.stdout, bad.stderr.trim()]).toEqual([2, '', '--as-of: must be a calendar date written YYYY-MM-DD, got "yesterday"']);
  });

  it('refuses a year past 2100 outright', () => {
    const run = runCli(['plan', '-'], { input: JSON.stringify({ ...facts, discovery: { date: '9999-12-31' } }) });
    expect([run.status, run.stdout, run.stderr.trim()]).toEqual([2, '', 'discovery.date: 9999-12-31 is after 2100: check the year']);
  });

  it('exits 2 on input that is not JSON, or a file that is not there', () => {
    const notJson = runCli(['plan', write('broken.json', '{"discovery": ')]);
    expect([notJson.status, notJson.stdout]).toEqual([2, '']);
    expect(notJson.stderr).toMatch(/^\(input\): not valid JSON/);
    const missing = runCli(['plan', join(dir, 'nope.json')]);
    expect([missing.status, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/nope\.json: cannot read \(ENOENT\)/);
  });

  it('exits 1 and names the entry when the rule pack is bad', () => {
    const pack = JSON.parse(JSON.stringify(shippedPack));
    pack.states.TX.regulators[0].threshold.comparison = '=>';
    const run = runCli(['plan', write('facts2.json', facts), '--rule-pack', write('pack.json', pack)]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('states.TX.regulators[0].threshold.comparison: must be one of: >, >=; got "=>"');
  });

  it('exits non-zero with usage for an unknown command', () => {
    const run = runCli(['plna', 'x.json']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/unknown command 'plna'/);
  });
});

describe('breachflow demo', () => {
  it('runs a realistic incident end to end on a temporary database and prints its timeline', () => {
    const run = runCli(['demo']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^breachflow demo: incident BF-2026-0001/);
    expect(run.stdout).toContain('notification -> closed             incident.closed');
    expect(run.stdout).toMatch(/Audit chain: intact, \d+ events\./);
    expect(run.stdout).not.toMatch(/^\s+open\s/m);
  });
});
