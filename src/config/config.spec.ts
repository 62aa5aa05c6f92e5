import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseUrl, ConfigError, loadConfig, loadRulePack, PROJECT_ROOT } from './config';

function configDir(defaults: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'breachflow-config-'));
  writeFileSync(join(dir, 'default.json'), JSON.stringify(defaults));
  copyFileSync(join(PROJECT_ROOT, 'config', 'reminders.json'), join(dir, 'reminders.json'));
  return dir;
}

function problems(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('loadConfig', () => {
  it('reads the shipped defaults, resolving paths from the project folder', () => {
    const { reminders, ...config } = loadConfig({});
    expect(reminders).toEqual({
      settings: { ladderDaysBefore: [30, 14, 7, 3, 1, 0], escalateFromDaysBefore: 7, sendHour: 9, digest: false },
      retry: { retryBackoffMinutes: [1, 5, 30, 120, 720], maxAttempts: 6 },
    });
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      databasePath: join(PROJECT_ROOT, 'data', 'breachflow.sqlite'),
      databaseUrl: null,
      databasePoolSize: 10,
      rulePackPath: join(PROJECT_ROOT, 'config', 'state-rules.json'),
      publicUrl: null,
      logLevel: 'warn',
      timezone: 'America/New_York',
      smtpUrl: null,
      smtpFrom: 'breachflow <breachflow@localhost>',
      smtpTlsRejectUnauthorized: true,
      outboxDir: join(PROJECT_ROOT, 'data', 'outbox'),
      reminderPollSeconds: 60,
      phiKeyFile: null,
      phiKey: null,
      lettersDir: join(PROJECT_ROOT, 'data', 'letters'),
      templatesOverrideDir: join(PROJECT_ROOT, 'data', 'templates'),
      attachmentsDir: join(PROJECT_ROOT, 'data', 'attachments'),
      attachmentMaxBytes: 50 * 1024 * 1024,
      leaseSeconds: 60,
      letterWorkers: Math.max(1, Math.min(availableParallelism(), 4)),
      lettersPerFile: 1000,
      auditKeyFile: null,
      smtpAllowPlain: false,
    });
  });

  it('DATABASE_URL selects PostgreSQL; absent, the SQLite file; a bad one is named without echoing it', () => {
    expect(loadConfig({})).toMatchObject({ databaseUrl: null, databasePoolSize: 10 });
    expect(loadConfig({ DATABASE_URL: 'postgres://bf:pw@db:5432/bf', DATABASE_POOL_SIZE: '4' })).toMatchObject({ databaseUrl: 'postgres://bf:pw@db:5432/bf', databasePoolSize: 4 });
    let message = '';
    try { loadConfig({ DATABASE_URL: 'mysql://bf:secretpw@db/bf', DATABASE_POOL_SIZE: '0' }); } catch (e) { message = (e as Error).message; }
    expect(message).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL[\s\S]*DATABASE_POOL_SIZE: must be a whole number/);
    expect(message).not.toContain('secretpw');
  });

  it('LEASE_SECONDS, AUDIT_KEY_FILE and SMTP_ALLOW_PLAIN come from the environment, checked', () => {
    expect(loadConfig({ LEASE_SECONDS: '5', AUDIT_KEY_FILE: '/keys/audit.key', SMTP_ALLOW_PLAIN: 'true' })).toMatchObject({ leaseSeconds: 5, auditKeyFile: '/keys/audit.key', smtpAllowPlain: true });
    expect(() => loadConfig({ LEASE_SECONDS: '0', SMTP_ALLOW_PLAIN: 'yes' })).toThrow(/LEASE_SECONDS: must be a whole number of seconds from 1 to 3600[\s\S]*SMTP_ALLOW_PLAIN: must be true or false/);
  });

  it('lets the environment override each setting', () => {
    const config = loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_PATH: '/var/lib/bf.sqlite', LOG_LEVEL: 'warn', PUBLIC_URL: 'https://breach.example.org/' });
    expect(config).toMatchObject({ port: 8080, host: '0.0.0.0', databasePath: '/var/lib/bf.sqlite', logLevel: 'warn', publicUrl: 'https://breach.example.org' });
  });

  it('gives the address people reach the server at', () => {
    expect(baseUrl(loadConfig({}))).toBe('http://127.0.0.1:3000');
    expect(baseUrl(loadConfig({ HOST: '0.0.0.0', PORT: '0' }), 41234)).toBe('http://localhost:41234');
    expect(baseUrl(loadConfig({ PUBLIC_URL: 'https://breach.example.org' }))).toBe('https://breach.example.org');
  });

  it('names every bad key at once', () => {
    expect(problems(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud', PUBLIC_URL: 'breach.example.org' }))).toEqual([
      'PORT: must be a whole number, got "eighty"',
      'LOG_LEVEL: must be one of: error, warn, log, debug, verbose; got "loud"',
      'PUBLIC_URL: must be an http(s) URL, got "breach.example.org"',
    ]);
    expect(problems(() => loadConfig({ PORT: '70000' }))).toEqual(['PORT: must be a port number from 0 to 65535, got 70000']);
    expect(problems(() => loadConfig({ PRACTICE_TIMEZONE: 'Central' }))).toEqual(['PRACTICE_TIMEZONE: must be an IANA time zone such as America/Chicago, got "Central"']);
  });

  it('names unknown and bad keys in config/default.json', () => {
    const dir = configDir({
      port: 3000, host: '', databasePath: 'x.sqlite', rulePackPath: 'r.json', logLevel: 'log', timezone: 'UTC',
      smtpUrl: 'mail.example.org', smtpFrom: 'x', smtpTlsRejectUnauthorized: true, outboxDir: 'o', reminderPollSeconds: 60, phiKeyFile: null, lettersDir: 'l', templatesOverrideDir: 't', attachmentsDir: 'a', attachmentMaxMb: 50, prot: 1,
    });
    expect(problems(() => loadConfig({}, dir))).toEqual([
      'config/default.json: prot: unknown field (expected one of: $comment, port, host, databasePath, rulePackPath, publicUrl, logLevel, timezone, smtpUrl, smtpFrom, smtpTlsRejectUnauthorized, outboxDir, reminderPollSeconds, phiKeyFile, lettersDir, templatesOverrideDir, attachmentsDir, attachmentMaxMb)',
      'config/default.json: host: must be a non-empty string, got ""',
      'config/default.json: smtpUrl: must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.org:587',
    ]);
  });

  it('says when config/default.json is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachflow-config-'));
    writeFileSync(join(dir, 'default.json'), '{ port: 3000 ');
    expect(problems(() => loadConfig({}, dir))[0]).toMatch(/^config\/default\.json: not valid JSON/);
  });
});

describe('loadRulePack', () => {
  it('names the bad entry of a broken pack, with the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'breachflow-pack-'));
    const path = join(dir, 'pack.json');
    writeFileSync(path, JSON.stringify({ version: '1', reviewedOn: '2026-11-23', source: 't', states: { CA: { name: 'California' } } }));
    const found = problems(() => loadRulePack(path));
    expect(found).toContain(`${path}: states.CA.statute: must be a non-empty string, got undefined`);
  });

  it('says when the pack is missing', () => {
    expect(problems(() => loadRulePack('/nonexistent/pack.json'))).toEqual(['/nonexistent/pack.json: cannot read /nonexistent/pack.json (ENOENT)']);
  });
});
