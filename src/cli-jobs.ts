import { INestApplication } from '@nestjs/common';
import { createReadStream, statSync } from 'node:fs';
import { Transform } from 'node:stream';
import { createApp } from './app';
import { Actor } from './auth/actor';
import { AppConfig, ConfigError, loadRulePack } from './config/config';
import { formatCount } from './domain/rules/format';
import { clientErrors } from './http-errors.filter';
import { TransactionRunner } from './persistence/transaction-runner';
import { newSecret } from './auth/passwords';
import { UsersService } from './auth/users.service';
import { LettersService } from './letters/letters.service';
import { ImportMode, RosterService } from './roster/roster.service';
import { IncidentRepository } from './incidents/incident.repository';

/** The long jobs of the command line (roster import, letter batch), with a progress bar on stderr. */

export interface JobIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A terminal gets a bar redrawn in place; a pipe or log gets a line now and then. */
  tty: boolean;
}

export function progressBar(io: JobIo, label: string): { update: (done: number, total: number | null, unit: string) => void; end: () => void } {
  let lastLine = 0;
  let last = '';
  let shown = '';
  return {
    update(done, total, unit) {
      const pct = total ? Math.min(1, done / total) : null;
      const bar = pct === null ? '' : `[${'#'.repeat(Math.round(pct * 30)).padEnd(30, '-')}] ${String(Math.round(pct * 100)).padStart(3)}% `;
      const text = `${label} ${bar}${formatCount(done)}${total && unit !== 'bytes' ? ` of ${formatCount(total)}` : ''} ${unit === 'bytes' ? 'rows' : unit}`;
      last = text;
      if (io.tty) io.stderr(`\r${text}`);
      else if (Date.now() - lastLine > 2000) { io.stderr(`${text}\n`); lastLine = Date.now(); shown = text; }
    },
    end() {
      if (io.tty) io.stderr('\n');
      else if (last && last !== shown) io.stderr(`${last}\n`);
    },
  };
}

export async function withApp<T>(config: AppConfig, work: (app: INestApplication) => Promise<T>): Promise<T> {
  const app = await createApp({ config: { ...config, reminderPollSeconds: 0 }, rulePack: loadRulePack(config.rulePackPath), logger: false });
  await app.init();
  try {
    return await work(app);
  } finally {
    await app.close();
  }
}

/** An incident by its reference (BF-2026-0001) or its id. */
export async function resolveIncident(app: INestApplication, ref: string): Promise<string> {
  const id = await app.get(TransactionRunner).read((m) => app.get(IncidentRepository).idOfIdOrReference(m, ref));
  if (id === null) throw new ConfigError([`no incident ${JSON.stringify(ref)} in ${'the database'} (give its reference, e.g. BF-2026-0001, or its id)`]);
  return id;
}

export class JobInputError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

export async function rosterImportCommand(config: AppConfig, io: JobIo, incident: string, file: string, options: { onInvalid?: string; actor: string }): Promise<number> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (e) {
    throw new JobInputError([`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  const mode = (options.onInvalid ?? 'reject') as ImportMode;
  if (mode !== 'reject' && mode !== 'skip') throw new JobInputError(['--on-invalid: must be reject or skip']);
  return withApp(config, async (app) => {
    const id = await resolveIncident(app, incident);
    const bar = progressBar(io, 'importing');
    let bytes = 0;
    const counted = createReadStream(file).pipe(new Transform({ transform(chunk: Buffer, _e, cb) { bytes += chunk.length; cb(null, chunk); } }));
    const actor: Actor = { id: `${options.actor} (command line)`, via: 'cli' };
    const summary = await app.get(RosterService).import(id, actor, counted, mode, (rows) => bar.update(rows, null, `rows (${Math.round((bytes / Math.max(size, 1)) * 100)}% of the file)`));
    bar.end();
    for (const e of summary.errors) io.stderr(`${e.path}: ${e.message}\n`);
    for (const d of summary.duplicates.rows) io.stderr(`row ${d.row}: duplicate of ${d.duplicateOf}, left out\n`);
    io.stdout(`${summary.message}\n`);
    if (summary.roster) io.stdout(`${JSON.stringify(summary.roster)}\n`);
    return summary.status === 'done' ? 0 : 2;
  });
}

export async function lettersGenerateCommand(config: AppConfig, io: JobIo, incident: string, options: { actor: string }): Promise<number> {
  return withApp(config, async (app) => {
    const id = await resolveIncident(app, incident);
    const letters = app.get(LettersService);
    const actor: Actor = { id: `${options.actor} (command line)`, via: 'cli' };
    let batch;
    try {
      batch = await letters.createBatch(id, actor);
    } catch (e) {
      const errors = clientErrors(e);
      if (errors) throw new JobInputError(errors.map((x) => `${x.path}: ${x.message}`));
      throw e;
    }
    const bar = progressBar(io, 'letters');
    const timer = setInterval(() => void letters.batch(id, batch.id).then((b) => bar.update(b.done, b.total, 'people')), 250);
    await letters.settle();
    clearInterval(timer);
    const done = await letters.batch(id, batch.id);
    bar.update(done.done, done.total, 'people');
    bar.end();
    if (done.status !== 'done') {
      io.stderr(`the batch failed: ${done.error}\n`);
      return 1;
    }
    io.stdout(`batch ${done.id}: ${formatCount(done.letters)} letters on ${formatCount(done.pages)} pages in ${done.files.length} PDF file(s), ${formatCount(done.emails)} by email when marked sent\n`);
    io.stdout(`files (owner-only): ${config.lettersDir}/${done.id}/\n`);
    return 0;
  });
}

/**
 * `breachflow user add`: a user from the shell (the first admin, or when nobody can log in). The
 * password comes from standard input with --password-stdin; otherwise one is generated and shown once.
 */
export async function userAddCommand(config: AppConfig, io: JobIo, options: { email: string; name: string; role: string; passwordStdin?: boolean }, readStdin: () => string): Promise<number> {
  const generated = options.passwordStdin ? null : newSecret('pw').slice(3, 23);
  const password = options.passwordStdin ? readStdin().split(/\r?\n/)[0] : generated!;
  return withApp(config, async (app) => {
    try {
      const user = await app.get(UsersService).create({ email: options.email, name: options.name, role: options.role, password });
      io.stdout(`added ${user.name} <${user.email}> as ${user.roles.join(' and ')}\n`);
      if (generated) io.stdout(`password (shown once; change it by adding a new user if lost): ${generated}\n`);
      return 0;
    } catch (e) {
      const errors = clientErrors(e);
      if (errors) throw new JobInputError(errors.map((x) => `--${x.path === 'password' ? 'password-stdin' : x.path}: ${x.message}`));
      throw e;
    }
  });
}
