import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shippedPack } from './factories/facts';
import { runServerToExit, ServerProcess, startServer } from './support/server-process';

async function waitFor<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > until) throw new Error('timed out waiting for the server');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('starting the server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'breachflow-start-'));
  const databasePath = join(dir, 'data', 'breachflow.sqlite');
  const running: ServerProcess[] = [];
  // A failed expectation must not leave a server running behind the suite.
  afterAll(async () => {
    for (const s of running) if (s.proc.exitCode === null && s.proc.signalCode === null) await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates and migrates the database on first start, prints where to go, and starts again on the same file', async () => {
    expect(existsSync(databasePath)).toBe(false);
    const first = await startServer({ DATABASE_PATH: databasePath });
    running.push(first);
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.url).not.toMatch(/:0$/);
    expect(first.stdout()).toContain(`${first.url}/api/health`);
    expect(first.stdout()).toContain('no SMTP_URL set: each reminder is written as an .eml file');
    const health = await (await fetch(`${first.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', migrations: ['InitialSchema1764000000000', 'Incidents1764000000001', 'Reminders1764000000002', 'RosterLetters1764000000003', 'Accounts1764000000004', 'JobLease1764000000020', 'AccessAudit1764000000021', 'KeyedAudit1764000000022', 'SessionIdle1764000000023', 'RedactableText1764000000024', 'Retention1764000000025', 'UserRoles1764000000026', 'AuditChainHead1764000000027', 'LetterFiles1764000000040', 'Attachments1764000000060', 'IncidentReferenceCounter1764000000070', 'OutboxIncident1764000000071', 'RetentionJobLease1764000000090', 'AttachmentBytesBigint1764000000091'] });
    // No users yet: a one-time link creates the first admin, who can then log in.
    const link = await waitFor(() => /(http:\/\/\S+\/setup\?token=\S+)/.exec(first.stdout())?.[1]);
    expect((await fetch(link)).status).toBe(200);
    const form = (o: Record<string, string>) => ({ method: 'POST', redirect: 'manual' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(o).toString() });
    const created = await fetch(`${first.url}/setup`, form({ token: new URL(link).searchParams.get('token')!, name: 'First Admin', email: 'admin@clinic.test', password: 'a long first passphrase' }));
    expect(created.status).toBe(303);
    expect((await fetch(link)).status).toBe(403); // spent
    const login = await fetch(`${first.url}/login`, form({ email: 'admin@clinic.test', password: 'a long first passphrase' }));
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const users = await fetch(`${first.url}/admin/users`, { headers: { cookie: cookie.split(';')[0] } });
    expect(users.status).toBe(200);
    expect(users.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(statSync(join(dir, 'data', 'phi.key')).mode & 0o777).toBe(0o600);
    expect([0, 'SIGTERM']).toContain(await first.stop());
    expect(existsSync(databasePath)).toBe(true);

    const second = await startServer({ DATABASE_PATH: databasePath });
    running.push(second);
    const again = await (await fetch(`${second.url}/api/health`)).json();
    expect(again).toMatchObject({ status: 'ok', rulePack: { knownVersions: [shippedPack.version] } });
    await waitFor(() => second.stdout().includes(`${second.url}/login`) || undefined);
    expect(second.stdout()).not.toContain('setup?token=');
    await second.stop();
  });

  it('refuses to start on a bad setting, naming it', async () => {
    const run = await runServerToExit({ PORT: 'eighty', DATABASE_PATH: databasePath });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PORT: must be a whole number, got "eighty"');
    expect(run.stdout).toBe('');
  });

  it('refuses to start on a bad rule pack, naming the entry', async () => {
    const pack = JSON.parse(JSON.stringify(shippedPack));
    pack.states.WA.regulators[0].clock.unit = 'fortnights';
    const packPath = join(dir, 'bad-pack.json');
    writeFileSync(packPath, JSON.stringify(pack));
    const run = await runServerToExit({ RULE_PACK_PATH: packPath, DATABASE_PATH: databasePath });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('states.WA.regulators[0].clock.unit: must be one of: calendar, business; got "fortnights"');
  });
});
