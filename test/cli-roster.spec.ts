import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IncidentsService } from '../src/incidents/incidents.service';
import { LettersService } from '../src/letters/letters.service';
import { SettingsService } from '../src/settings/settings.service';
import { readPdf } from './support/pdf';
import { runCli } from './support/run-cli';
import { sqlAll } from './support/sqlite';
import { startTestApp } from './support/test-app';

/** `breachflow roster import` and `breachflow letters generate` in a real child process, on a real SQLite file. */
describe('CLI: roster import and letter batch', () => {
  it('imports (or rejects, exit 2, naming rows), then generates the batch with a progress report', async () => {
    const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    const actor = { id: 'seed', via: 'system' as const };
    const { reference } = await t.app.get(IncidentsService).report(actor, {
      summary: 'Lost paper charts', facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 3, byJurisdiction: { OH: 3 } } },
    });
    await t.app.get(SettingsService).update(actor, { practiceName: 'Riverbend Clinic', contact: { tollFreePhone: '888-555-0199', website: 'https://riverbend.example' } });
    const { id } = (await t.app.get(IncidentsService).list({})).items[0];
    await t.app.get(LettersService).putContent(id, actor, {
      whatHappened: 'A box of paper charts was lost in a move.', breachDates: 'unknown', phiTypes: ['name', 'diagnosis'],
      stepsForIndividuals: 'Watch for mail you do not expect.', whatWeAreDoing: 'We changed how charts are moved.',
    });
    await t.app.close();
    const env = { DATABASE_PATH: t.config.databasePath, LETTERS_DIR: t.config.lettersDir, PRACTICE_TIMEZONE: 'America/New_York' };

    const bad = join(t.dir, 'bad.csv');
    writeFileSync(bad, 'name,state,address1,city,postal_code\nAda Lovelace,OH,1 Main St,Dayton,45402\nCharles Babbage,ZZ,2 Main St,Dayton,45402\n');
    const rejected = runCli(['roster', 'import', reference, bad], { env });
    expect(rejected.status).toBe(2);
    expect(rejected.stderr).toContain('row 3, state: is not a state, DC or territory code');
    expect(rejected.stderr).not.toContain('Babbage');
    expect(rejected.stdout).toContain('nothing was imported');

    const good = join(t.dir, 'good.csv');
    writeFileSync(good, 'name,state,address1,city,postal_code\nAda Lovelace,OH,1 Main St,Dayton,45402\nGrace Hopper,OH,3 Main St,Dayton,45402\n');
    const imported = runCli(['roster', 'import', reference, good, '--actor', 'Pat Privacy'], { env });
    expect(imported.stderr).toMatch(/importing .*2 rows/);
    expect(imported.status).toBe(0);
    expect(imported.stdout).toContain('Roster import: 2 people added');

    const generated = runCli(['letters', 'generate', reference], { env });
    expect(generated.stderr).toMatch(/letters .*2 of 2 people/);
    expect(generated.status).toBe(0);
    const batchId = /batch ([0-9a-f-]{36})/.exec(generated.stdout)![1];
    expect(generated.stdout).toContain('2 letters on 2 pages in 1 PDF file(s)');
    const pdf = await readPdf(join(t.config.lettersDir, batchId, 'letters-0001.pdf'));
    expect(pdf.pages).toBe(2);
    expect(pdf.text[1]).toContain('Grace Hopper');

    // A new batch before the first was marked sent replaces it: the first can no longer be marked sent.
    const again = runCli(['letters', 'generate', reference], { env });
    expect(again.status).toBe(0);
    expect(await sqlAll(t.config.databasePath, 'SELECT status, total FROM letter_batch ORDER BY created_at')).toEqual([
      { status: 'superseded', total: 2 }, { status: 'done', total: 2 },
    ]);
    await t.close();
  }, 150_000); // four CLI boots: 38 s alone at load 10 on this machine, over 60 s inside the full suite
});

describe('CLI: user add', () => {
  it('adds a user from the shell (password from stdin, or generated and shown once); bad fields exit 2, named', async () => {
    const t = await startTestApp(new Date('2026-03-10T15:00:00Z'), {}, { seedUsers: false });
    await t.app.close();
    const env = { DATABASE_PATH: t.config.databasePath };
    const piped = runCli(['user', 'add', '--email', 'Admin@Clinic.test', '--name', 'First Admin', '--role', 'admin', '--password-stdin'], { env, input: 'a long enough passphrase\n' });
    expect(piped.stderr).toBe('');
    expect(piped.status).toBe(0);
    expect(piped.stdout).toBe('added First Admin <admin@clinic.test> as admin\n');
    const generated = runCli(['user', 'add', '--email', 'po@clinic.test', '--name', 'Pat', '--role', 'privacy_officer'], { env });
    expect(generated.status).toBe(0);
    const password = /password \(shown once[^:]*\): (\S+)/.exec(generated.stdout)![1];
    expect(password.length).toBeGreaterThanOrEqual(12);
    const bad = runCli(['user', 'add', '--email', 'x', '--name', 'X', '--role', 'boss'], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--email: must be an email address');
    expect(bad.stderr).toContain('--role: must be one of: owner, privacy_officer, admin, auditor');
    const dup = runCli(['user', 'add', '--email', 'admin@clinic.test', '--name', 'Again', '--role', 'admin', '--password-stdin'], { env, input: 'a long enough passphrase\n' });
    expect(dup.status).toBe(2);
    expect(dup.stderr).toContain('--email: a user with this email exists already');
    const users = await sqlAll<{ email: string; role: string }>(t.config.databasePath, 'SELECT email, role FROM "user" ORDER BY created_at');
    expect(users).toEqual([{ email: 'admin@clinic.test', role: 'admin' }, { email: 'po@clinic.test', role: 'privacy_officer' }]);
    await t.close();
  }, 60_000);
});
