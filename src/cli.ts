import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { DataSource } from 'typeorm';
import { verifyAccessChain } from './audit/access-log';
import { loadAuditKey, registerAuditKey } from './audit/audit-key';
import { verifyAuditChain } from './audit/audit-trail';
import { checkAgainst, takeCheckpoint } from './audit/checkpoint';
import { REDACTION_REASONS } from './audit/free-text';
import { auditRedactCommand } from './audit/redact-command';
import { auditExportCommand } from './audit/export-command';
import { rekeyFreeText } from './audit/free-text-rekey';
import { AUDIT_KINDS } from './audit/audit-kinds';
import { loadPhiCipher, phiKeyPath } from './roster/phi-cipher';
import { newKeyFile, rekeyPhi } from './roster/phi-rekey';
import { ConfigError, loadConfig, loadRulePack } from './config/config';
import { JobInputError, JobIo, lettersGenerateCommand, rosterImportCommand, userAddCommand } from './cli-jobs';
import { runDemo } from './demo/demo';
import { dossierExportCommand, dossierVerifyCommand } from './dossier/dossier-cli';
import { dataSourceOptions, openDataSource } from './persistence/data-source-options';
import { planFromInput } from './domain/rules/plan';
import { formatErrors } from './domain/validation';
import { isLocalDate, localDateIn } from './domain/rules/calendar';

/** Exit codes: 0 done, 1 the tool or its configuration failed, 2 the input was invalid,
 *  3 the audit trail is broken. */
export const EXIT_INVALID_INPUT = 2;
export const EXIT_AUDIT_BROKEN = 3;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => string;
  env: NodeJS.ProcessEnv;
  /** The clock (tests fix it); the system clock when absent. */
  now?: () => Date;
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: () => readFileSync(0, 'utf8'),
  env: process.env,
};

class InputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

function readInput(file: string, io: CliIo): unknown {
  let text: string;
  try {
    text = file === '-' ? io.readStdin() : readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError([`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError([`(input): not valid JSON (${(e as Error).message})`]);
  }
}

/** The day the plan is made as of: `--as-of`, or today in the practice's time zone. */
function planDay(asOf: string | undefined, timezone: string, now: () => Date): string {
  if (asOf === undefined) return localDateIn(now(), timezone)!;
  if (!isLocalDate(asOf)) throw new InputError([`--as-of: must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(asOf)}`]);
  return asOf;
}

function planCommand(file: string, options: { rulePack?: string; asOf?: string }, io: CliIo): void {
  const config = loadConfig(io.env);
  const today = planDay(options.asOf, config.timezone, io.now ?? (() => new Date()));
  const pack = loadRulePack(options.rulePack ?? config.rulePackPath);
  const result = planFromInput(readInput(file, io), pack, today);
  if (!result.ok) throw new InputError(formatErrors(result.errors));
  io.stdout(`${JSON.stringify(result.value, null, 2)}\n`);
}

/** The configured database, migrated, with its audit key bound. */
async function openAudited<T>(io: CliIo, work: (db: DataSource) => Promise<T>): Promise<T> {
  const config = loadConfig(io.env);
  if (!config.databaseUrl && !existsSync(config.databasePath)) throw new ConfigError([`no database at ${config.databasePath} (set DATABASE_PATH)`]);
  const db = await openDataSource(dataSourceOptions(config));
  registerAuditKey(db, loadAuditKey(config).key);
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

async function auditCheckpointCommand(io: CliIo): Promise<number> {
  return openAudited(io, async (db) => {
    io.stdout(`${JSON.stringify(await takeCheckpoint(db.manager, new Date()))}\n`);
    return 0;
  });
}

async function auditVerifyCommand(io: CliIo, checkpointFile?: string): Promise<number> {
  const checkpoint = checkpointFile === undefined ? undefined : readInput(checkpointFile, io);
  return openAudited(io, async (db) => {
    const report = await verifyAuditChain(db.manager);
    const access = await verifyAccessChain(db.manager);
    const stale = checkpoint === undefined ? null : await checkAgainst(db.manager, checkpoint);
    if (report.intact && !access.broken && !stale) {
      io.stdout(`audit trail intact: ${report.events} events, ${report.incidents} incidents, ${access.events} access events${checkpoint === undefined ? '' : '; everything the checkpoint saw is unchanged'}\n`);
      return 0;
    }
    if (stale) {
      io.stderr(`audit trail BROKEN against the checkpoint: ${stale}\n`);
      return EXIT_AUDIT_BROKEN;
    }
    if (access.broken) {
      io.stderr(`audit trail BROKEN at access event #${access.broken.seq} (${access.broken.type}): ${access.broken.problem}\n`);
      return EXIT_AUDIT_BROKEN;
    }
    const b = report.firstBroken!;
    const where = b.seq !== null ? `event #${b.seq} (${b.type}) of incident ${b.reference ?? b.incidentId}` : `incident ${b.reference ?? b.incidentId}`;
    io.stderr(`audit trail BROKEN at ${where}: ${b.problem}\n`);
    return EXIT_AUDIT_BROKEN;
  });
}

/** `phi rekey`: every sealed field under a new key; run with the server stopped; resumable. */
async function phiRekeyCommand(io: CliIo, options: { newKeyFile: string; actor: string }): Promise<number> {
  const config = loadConfig(io.env);
  const from = loadPhiCipher(config).cipher;
  const to = newKeyFile(options.newKeyFile);
  return openAudited(io, async (db) => {
    // Free text first: rekeyPhi's last step audits the whole rekey as done.
    const texts = await rekeyFreeText((work) => db.transaction(work), from, to);
    const counts = await rekeyPhi((work) => db.transaction(work), from, to, `${options.actor} (command line)`, () => new Date().toISOString());
    io.stdout(`re-sealed ${counts.roster} roster people and ${counts.outbox} queued emails under the new key (${counts.alreadyDone} were done already)\n`);
    io.stdout(`re-sealed ${texts} free-text values (summaries, notes, reasons) under the new key\n`);
    io.stdout(`now start breachflow with PHI_KEY_FILE=${options.newKeyFile} (or move it to ${config.phiKey ? 'the new PHI_KEY' : phiKeyPath(config)}); keep the old key until a backup under the new one exists\n`);
    return 0;
  });
}

function jobIo(io: CliIo): JobIo {
  return { stdout: io.stdout, stderr: io.stderr, tty: io === processIo && Boolean(process.stderr.isTTY) };
}

export function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('breachflow')
    .description('HIPAA breach-notification workflow engine')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  program
    .command('plan')
    .description('print the notification plan for incident facts (JSON) as JSON')
    .argument('<file>', 'a JSON file of incident facts, or - for standard input')
    .option('--rule-pack <path>', 'a state rule pack other than the configured one')
    .option('--as-of <date>', 'plan as of this day (YYYY-MM-DD) instead of today in PRACTICE_TIMEZONE; a discovery after it is refused')
    .action((file: string, options: { rulePack?: string; asOf?: string }) => planCommand(file, options, io));
  const audit = program.command('audit').description('the audit trail');
  audit
    .command('verify')
    .description('check the keyed hash chains (incident events, access events) of the configured database; names the first broken link (exit 3)')
    .option('--checkpoint <file>', 'also prove that nothing before this checkpoint (from `audit checkpoint`) changed or was removed')
    .action(async (options: { checkpoint?: string }) => setExit(await auditVerifyCommand(io, options.checkpoint)));
  audit
    .command('checkpoint')
    .description('print a signed checkpoint of the audit trail (event counts, head hashes, time); keep it where the database is not')
    .action(async () => setExit(await auditCheckpointCommand(io)));
  audit
    .command('export')
    .description('write the audit trail as CSV (changes and access events, never PHI) to a new owner-only file; audited')
    .requiredOption('--out <file>', 'the CSV to write (a new file)')
    .option('--kind <kind>', `only one kind: ${AUDIT_KINDS.join(', ')}`)
    .option('--user <text>', 'only rows whose actor contains this text')
    .option('--actor <name>', 'who exports it, for the audit trail', 'cli')
    .action(async (options: { out: string; kind?: string; user?: string; actor: string }) => setExit(await auditExportCommand(loadConfig(io.env), jobIo(io), options)));
  audit
    .command('redact')
    .description('redact free text an event recorded (it may hold PHI): replaced everywhere in the incident by a tombstone; the chain still verifies')
    .argument('<incident>', 'the incident reference (BF-2026-0001) or id')
    .requiredOption('--seq <n>', 'the event (its number in the trail) whose text is redacted')
    .requiredOption('--field <field>', 'the field holding the text: note, reason, summary, factors.nature.evidence ...')
    .requiredOption('--why <reason>', REDACTION_REASONS.join(', '))
    .option('--actor <name>', 'who redacts, for the audit trail', 'cli')
    .action(async (incident: string, options: { seq: string; field: string; why: string; actor: string }) => setExit(await auditRedactCommand(loadConfig(io.env), jobIo(io), incident, options)));
  program
    .command('phi')
    .description("the key that seals patients' data")
    .command('rekey')
    .description('re-seal every sealed field under a new key (stop the server first; if cut short, run it again: it resumes)')
    .requiredOption('--new-key-file <path>', 'the new key file (created 0600 if missing); keep it apart from the data and its backups')
    .option('--actor <name>', 'who rekeys, for the audit trail', 'cli')
    .action(async (options: { newKeyFile: string; actor: string }) => setExit(await phiRekeyCommand(io, options)));
  const roster = program.command('roster').description("an incident's roster of affected individuals");
  roster
    .command('import')
    .description('import a roster CSV into an incident (streamed; a bad row rejects the file unless --on-invalid skip); exit 2 when rejected')
    .argument('<incident>', 'the incident reference (BF-2026-0001) or id')
    .argument('<file>', 'the CSV file')
    .option('--on-invalid <mode>', 'reject (default) or skip', 'reject')
    .option('--actor <name>', 'who imports it, for the audit trail', 'cli')
    .action(async (incident: string, file: string, options: { onInvalid: string; actor: string }) =>
      setExit(await rosterImportCommand(loadConfig(io.env), jobIo(io), incident, file, options)));
  program
    .command('letters')
    .description('letters to affected individuals')
    .command('generate')
    .description('generate the letter batch (PDF files and mailing manifest) for everyone reachable not yet in a sent batch')
    .argument('<incident>', 'the incident reference (BF-2026-0001) or id')
    .option('--actor <name>', 'who generates it, for the audit trail', 'cli')
    .action(async (incident: string, options: { actor: string }) => setExit(await lettersGenerateCommand(loadConfig(io.env), jobIo(io), incident, options)));
  program
    .command('user')
    .description('accounts')
    .command('add')
    .description('add a user (the first admin, or anyone when nobody can log in)')
    .requiredOption('--email <email>', 'their email (the login)')
    .requiredOption('--name <name>', 'their name, as the audit trail shows it')
    .requiredOption('--role <role>', 'owner, privacy_officer, admin or auditor; several separated by commas (owner,admin)')
    .option('--password-stdin', 'read the password from standard input (else one is generated and shown once)')
    .action(async (options: { email: string; name: string; role: string; passwordStdin?: boolean }) =>
      setExit(await userAddCommand(loadConfig(io.env), jobIo(io), options, io.readStdin)));
  const dossier = program.command('dossier').description("an incident's dossier: one checkable ZIP for OCR, an insurer or counsel");
  dossier
    .command('export')
    .description('write the dossier ZIP (holds PHI: owner-only) and print its manifest hash to keep apart')
    .argument('<incident>', 'the incident reference (BF-2026-0001) or id')
    .requiredOption('--out <file>', 'the ZIP to write (a new file)')
    .option('--actor <name>', 'who exports it, for the audit trail', 'cli')
    .action(async (incident: string, options: { out: string; actor: string }) => setExit(await dossierExportCommand(loadConfig(io.env), jobIo(io), incident, options)));
  dossier
    .command('verify')
    .description('check a dossier ZIP offline: every file against the manifest, the audit trail chain; exit 3 names the first mismatch')
    .argument('<file>', 'the dossier ZIP')
    .option('--manifest-sha256 <hash>', 'the manifest hash printed at export, kept apart')
    .option('--audit-key <file>', "the practice's audit key (audit.key): also proves every event and the signed checkpoint against the practice's own chain")
    .action(async (file: string, options: { manifestSha256?: string; auditKey?: string }) => setExit(await dossierVerifyCommand(jobIo(io), file, options)));
  program
    .command('demo')
    .description('run a realistic incident end to end on a temporary database and print its timeline')
    .action(async () => {
      const config = loadConfig(io.env);
      setExit((await runDemo(config, loadRulePack(config.rulePackPath), io.stdout)) ? 0 : 1);
    });
  return program;
}

/** Runs the command line and returns the exit code (the caller exits). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = 0;
  try {
    await buildProgram(io, (c) => { code = c; }).parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof InputError || e instanceof JobInputError) {
      io.stderr(`${e.lines.join('\n')}\n`);
      return EXIT_INVALID_INPUT;
    }
    if (e instanceof ConfigError) {
      io.stderr(`${e.message}\n`);
      return 1;
    }
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_INVALID_INPUT;
    io.stderr(`breachflow: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
