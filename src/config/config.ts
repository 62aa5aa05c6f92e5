import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { isTimeZone } from '../domain/rules/calendar';
import { ReminderSettings } from '../domain/reminders/reminder-ladder';
import { checkReminderSettings, RetryPolicy } from '../domain/reminders/reminder-settings';
import { RulePack, validateRulePack } from '../domain/rules/rule-pack';
import { Checker, formatErrors } from '../domain/validation';

/** The project folder (where package.json, config/ and data/ live), from src/config or dist/config. */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');

export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig {
  port: number;
  host: string;
  databasePath: string;
  /**
   * DATABASE_URL (from the environment): postgres://user:pass@host:5432/db selects PostgreSQL with a
   * pool, shared by every instance; null: the SQLite file at databasePath, as a single instance.
   */
  databaseUrl: string | null;
  /** The PostgreSQL pool's size per instance (DATABASE_POOL_SIZE, default 10); unused on SQLite. */
  databasePoolSize: number;
  rulePackPath: string;
  /** The address people reach the server at, when it differs from host:port (a proxy). */
  publicUrl: string | null;
  logLevel: LogLevel;
  /** The practice's IANA time zone: "today" and reminder days are counted in it. */
  timezone: string;
  /** smtp:// or smtps:// URL; null writes each message as an .eml file under outboxDir. */
  smtpUrl: string | null;
  smtpFrom: string;
  smtpTlsRejectUnauthorized: boolean;
  outboxDir: string;
  /** How often the reminder sweeper and the mail dispatcher run; 0 turns the timer off. */
  reminderPollSeconds: number;
  reminders: ReminderDefaults;
  /** Where the key that seals roster PHI is kept when PHI_KEY does not give it (created 0600); null: phi.key beside the database. */
  phiKeyFile: string | null;
  /** The key itself (PHI_KEY: 32 bytes as base64 or hex), from the environment only; null uses phiKeyFile. */
  phiKey: Buffer | null;
  /** Where letter batches (PDF, manifest) are written, owner-only. */
  lettersDir: string;
  /** A practice's own templates: a file here (letters/individual.hbs, letters/letterhead.hbs) wins over templates/. */
  templatesOverrideDir: string;
  /** Where attachments are stored, sealed, owner-only (shared storage when several instances run). */
  attachmentsDir: string;
  /** The largest attachment taken, in bytes (ATTACHMENT_MAX_MB). */
  attachmentMaxBytes: number;
  /**
   * How long a long job's lease lasts without renewal (LEASE_SECONDS, from the environment; default
   * 60). Its owner renews it every third of that; recovery takes over a job only once it has expired.
   */
  leaseSeconds: number;
  /**
   * Letter files this process renders at once (LETTER_WORKERS, 0 to 16; default the cores, at most 4):
   * one PDF worker thread each. 0: this instance renders none (other instances take its batches' files).
   */
  letterWorkers: number;
  /** Letters per PDF file of a batch (LETTERS_PER_FILE, 10 to 5000; default 1000): a file is the unit one renderer claims. */
  lettersPerFile: number;
  /** The audit chain's key file (AUDIT_KEY_FILE, from the environment); null: audit.key beside the database. */
  auditKeyFile: string | null;
  /**
   * SMTP_ALLOW_PLAIN=true lets patients' notices go over smtp:// without STARTTLS (warned at start).
   * By default they go only after STARTTLS; staff reminders carry no PHI and go either way.
   */
  smtpAllowPlain: boolean;
}

export interface ReminderDefaults {
  settings: ReminderSettings;
  retry: RetryPolicy;
}

/** Each setting: its key in config/default.json and the environment variable that overrides it. */
const SETTINGS = {
  port: 'PORT',
  host: 'HOST',
  databasePath: 'DATABASE_PATH',
  rulePackPath: 'RULE_PACK_PATH',
  publicUrl: 'PUBLIC_URL',
  logLevel: 'LOG_LEVEL',
  timezone: 'PRACTICE_TIMEZONE',
  smtpUrl: 'SMTP_URL',
  smtpFrom: 'SMTP_FROM',
  smtpTlsRejectUnauthorized: 'SMTP_TLS_REJECT_UNAUTHORIZED',
  outboxDir: 'OUTBOX_DIR',
  reminderPollSeconds: 'REMINDER_POLL_SECONDS',
  phiKeyFile: 'PHI_KEY_FILE',
  lettersDir: 'LETTERS_DIR',
  templatesOverrideDir: 'TEMPLATES_DIR',
  attachmentsDir: 'ATTACHMENTS_DIR',
  attachmentMaxMb: 'ATTACHMENT_MAX_MB',
} as const;
type SettingKey = keyof typeof SETTINGS;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`breachflow cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function readJson(path: string, label: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError([`${label}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ConfigError([`${label}: not valid JSON (${(e as Error).message})`]);
  }
}

function inProject(path: string): string {
  return isAbsolute(path) ? path : join(PROJECT_ROOT, path);
}

/** Reads config/default.json, overlays the environment, validates every key. Throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, configDir = join(PROJECT_ROOT, 'config')): AppConfig {
  const file = readJson(join(configDir, 'default.json'), 'config/default.json');
  const c = new Checker();
  const defaults = c.object(file, 'config/default.json:', ['$comment', ...Object.keys(SETTINGS)]) ?? {};
  const raw: Record<SettingKey, { value: unknown; source: string }> = {} as never;
  for (const [key, envName] of Object.entries(SETTINGS) as [SettingKey, string][]) {
    const fromEnv = env[envName];
    raw[key] = fromEnv !== undefined && fromEnv !== ''
      ? { value: fromEnvValue(key, fromEnv), source: envName }
      : { value: defaults[key], source: `config/default.json: ${key}` };
  }
  const port = c.integer(raw.port.value, raw.port.source, 0);
  if (port !== undefined && port > 65535) c.fail(raw.port.source, `must be a port number from 0 to 65535, got ${port}`);
  const host = c.string(raw.host.value, raw.host.source);
  const databasePath = c.string(raw.databasePath.value, raw.databasePath.source);
  const rulePackPath = c.string(raw.rulePackPath.value, raw.rulePackPath.source);
  const logLevel = c.oneOf(raw.logLevel.value, raw.logLevel.source, LOG_LEVELS);
  const timezone = c.string(raw.timezone.value, raw.timezone.source);
  if (timezone && !isTimeZone(timezone)) c.fail(raw.timezone.source, `must be an IANA time zone such as America/Chicago, got "${timezone}"`);
  let publicUrl: string | undefined;
  if (raw.publicUrl.value !== null && raw.publicUrl.value !== undefined) {
    const url = c.string(raw.publicUrl.value, raw.publicUrl.source);
    if (url && !/^https?:\/\/[^\s/]+/.test(url)) c.fail(raw.publicUrl.source, `must be an http(s) URL, got "${url}"`);
    else publicUrl = url?.replace(/\/+$/, '');
  }
  let smtpUrl: string | null = null;
  if (raw.smtpUrl.value !== null && raw.smtpUrl.value !== undefined) {
    const url = c.string(raw.smtpUrl.value, raw.smtpUrl.source);
    if (url && !/^smtps?:\/\/[^\s/]+/.test(url)) c.fail(raw.smtpUrl.source, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587');
    else smtpUrl = url ?? null;
  }
  const smtpFrom = c.string(raw.smtpFrom.value, raw.smtpFrom.source);
  const smtpTlsRejectUnauthorized = c.boolean(raw.smtpTlsRejectUnauthorized.value, raw.smtpTlsRejectUnauthorized.source);
  const outboxDir = c.string(raw.outboxDir.value, raw.outboxDir.source);
  const reminderPollSeconds = c.integer(raw.reminderPollSeconds.value, raw.reminderPollSeconds.source, 0);
  const reminders = readReminderDefaults(configDir, c);
  const phiKeyFile = raw.phiKeyFile.value === null ? null : c.string(raw.phiKeyFile.value, raw.phiKeyFile.source);
  const lettersDir = c.string(raw.lettersDir.value, raw.lettersDir.source);
  const templatesOverrideDir = c.string(raw.templatesOverrideDir.value, raw.templatesOverrideDir.source);
  const attachmentsDir = c.string(raw.attachmentsDir.value, raw.attachmentsDir.source);
  const attachmentMaxMb = c.integer(raw.attachmentMaxMb.value, raw.attachmentMaxMb.source, 1);
  if (attachmentMaxMb !== undefined && attachmentMaxMb > 2048) c.fail(raw.attachmentMaxMb.source, `must be at most 2048 (MB), got ${attachmentMaxMb}`);
  const phiKey = env.PHI_KEY ? parseKey(env.PHI_KEY) : null;
  if (env.PHI_KEY && !phiKey) c.fail('PHI_KEY', 'must be 32 random bytes written as base64 (44 characters) or hex (64 characters); e.g. `openssl rand -base64 32`');
  const leaseSeconds = env.LEASE_SECONDS ? Number(env.LEASE_SECONDS) : 60;
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1 || leaseSeconds > 3600) c.fail('LEASE_SECONDS', 'must be a whole number of seconds from 1 to 3600');
  const databaseUrl = env.DATABASE_URL ? env.DATABASE_URL.trim() : null;
  // The URL holds the database password: the message names the setting, never echoes its value.
  if (databaseUrl && !/^postgres(ql)?:\/\/[^\s/]+/.test(databaseUrl)) c.fail('DATABASE_URL', 'must be a postgres:// or postgresql:// URL, e.g. postgres://breachflow:secret@db.internal:5432/breachflow (leave it unset for the SQLite file)');
  const databasePoolSize = env.DATABASE_POOL_SIZE ? Number(env.DATABASE_POOL_SIZE) : 10;
  if (!Number.isInteger(databasePoolSize) || databasePoolSize < 1 || databasePoolSize > 200) c.fail('DATABASE_POOL_SIZE', 'must be a whole number of connections from 1 to 200');
  const letterWorkers = env.LETTER_WORKERS ? Number(env.LETTER_WORKERS) : Math.max(1, Math.min(availableParallelism(), 4));
  if (!Number.isInteger(letterWorkers) || letterWorkers < 0 || letterWorkers > 16) c.fail('LETTER_WORKERS', 'must be a whole number of PDF workers from 0 to 16');
  const lettersPerFile = env.LETTERS_PER_FILE ? Number(env.LETTERS_PER_FILE) : 1000;
  if (!Number.isInteger(lettersPerFile) || lettersPerFile < 10 || lettersPerFile > 5000) c.fail('LETTERS_PER_FILE', 'must be a whole number of letters per PDF file from 10 to 5000');
  if (env.SMTP_ALLOW_PLAIN !== undefined && env.SMTP_ALLOW_PLAIN !== 'true' && env.SMTP_ALLOW_PLAIN !== 'false') c.fail('SMTP_ALLOW_PLAIN', 'must be true or false');
  if (!c.ok) throw new ConfigError(c.errors.map((e) => `${e.path}: ${e.message}`));
  return {
    port: port!,
    host: host!,
    databasePath: databasePath === ':memory:' ? databasePath : inProject(databasePath!),
    databaseUrl,
    databasePoolSize,
    rulePackPath: inProject(rulePackPath!),
    publicUrl: publicUrl ?? null,
    logLevel: logLevel!,
    timezone: timezone!,
    smtpUrl,
    smtpFrom: smtpFrom!,
    smtpTlsRejectUnauthorized: smtpTlsRejectUnauthorized!,
    outboxDir: inProject(outboxDir!),
    reminderPollSeconds: reminderPollSeconds!,
    reminders: reminders!,
    phiKeyFile: phiKeyFile ? inProject(phiKeyFile) : null,
    phiKey,
    lettersDir: inProject(lettersDir!),
    templatesOverrideDir: inProject(templatesOverrideDir!),
    attachmentsDir: inProject(attachmentsDir!),
    attachmentMaxBytes: attachmentMaxMb! * 1024 * 1024,
    leaseSeconds,
    letterWorkers,
    lettersPerFile,
    auditKeyFile: env.AUDIT_KEY_FILE ? inProject(env.AUDIT_KEY_FILE) : null,
    smtpAllowPlain: env.SMTP_ALLOW_PLAIN === 'true',
  };
}

function parseKey(text: string): Buffer | null {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : /^[A-Za-z0-9+/]{43}=?$/.test(t) ? Buffer.from(t, 'base64') : null;
  return key?.length === 32 ? key : null;
}

function fromEnvValue(key: SettingKey, text: string): unknown {
  if ((key === 'port' || key === 'reminderPollSeconds' || key === 'attachmentMaxMb') && /^\d+$/.test(text)) return Number(text);
  if (key === 'smtpTlsRejectUnauthorized' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** config/reminders.json: the default ladder and the retry policy. */
function readReminderDefaults(configDir: string, c: Checker): ReminderDefaults | undefined {
  let file: unknown;
  try {
    file = readJson(join(configDir, 'reminders.json'), 'config/reminders.json');
  } catch (e) {
    if (e instanceof ConfigError) e.problems.forEach((p) => c.fail('config/reminders.json', p.replace(/^config\/reminders\.json: /, '')));
    return undefined;
  }
  const o = c.object(file, 'config/reminders.json:', ['$comment', 'ladderDaysBefore', 'escalateFromDaysBefore', 'sendHour', 'digest', 'retryBackoffMinutes', 'maxAttempts']);
  if (!o) return undefined;
  const { retryBackoffMinutes, maxAttempts, $comment: _comment, ...ladder } = o;
  const settings = checkReminderSettings(c, ladder, 'config/reminders.json', false);
  if (!Array.isArray(retryBackoffMinutes) || retryBackoffMinutes.length === 0 || !retryBackoffMinutes.every((m) => Number.isInteger(m) && m > 0)) {
    c.fail('config/reminders.json: retryBackoffMinutes', 'must be a list of whole minutes, e.g. [1, 5, 30]');
  }
  const attempts = c.integer(maxAttempts, 'config/reminders.json: maxAttempts', 1);
  if (!c.ok) return undefined;
  return { settings: settings as ReminderSettings, retry: { retryBackoffMinutes: retryBackoffMinutes as number[], maxAttempts: attempts! } };
}

/** Where people reach the server: PUBLIC_URL, or the address it listens on. */
export function baseUrl(config: AppConfig, listeningPort = config.port): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${listeningPort}`;
}

/** Reads and validates the state rule pack; a bad pack stops the start with the entry named. */
export function loadRulePack(path: string): RulePack {
  const label = path.startsWith(PROJECT_ROOT) ? path.slice(PROJECT_ROOT.length + 1) : path;
  const json = readJson(path, label);
  const result = validateRulePack(json);
  if (!result.ok) throw new ConfigError(formatErrors(result.errors).map((line) => `${label}: ${line}`));
  return result.value;
}
