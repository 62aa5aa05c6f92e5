import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { IncidentsService } from '../src/incidents/incidents.service';
import { ROOT } from './support/run-cli';
import { startServer } from './support/server-process';
import { sqlAll, sqlCount } from './support/sqlite';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Item 1 of issue 12: a long job holds a lease; only an expired lease is repaired, by any process.
 * The roster upload is streamed by hand, so the test decides exactly when, mid-import, the other
 * process boots (or the server dies): after the first rows are staged and before the file ends.
 */

const ROWS = 6000;
const HEADER = 'name,state,address1,city,postal_code\n';
const row = (i: number) => `Person Number${i},OH,${i} Main St,Dayton,45402\n`;

async function seed(): Promise<{ t: TestApp; incidentId: string; auth: Record<string, string> }> {
  const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
  const { id } = await t.app.get(IncidentsService).report({ id: 'seed', via: 'system' }, {
    summary: 'Stolen laptop', facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 10, byJurisdiction: { OH: 10 } } },
  });
  const auth = t.as('privacy_officer');
  await t.app.close();
  return { t, incidentId: id, auth };
}

/** Starts a streamed upload; resolves the response (status and JSON) when the server answers. */
function upload(url: string, path: string, auth: Record<string, string>) {
  const u = new URL(path, url);
  let settle!: (r: { status: number; body: { status?: string; imported?: number; rowsRead?: number } }) => void;
  let fail!: (e: Error) => void;
  const response = new Promise<{ status: number; body: { status?: string; imported?: number; rowsRead?: number } }>((res, rej) => { settle = res; fail = rej; });
  const req = request({ host: u.hostname, port: u.port, path: u.pathname, method: 'POST', headers: { ...auth, 'Content-Type': 'text/csv' } }, (res) => {
    let text = '';
    res.on('data', (d) => (text += d));
    res.on('end', () => settle({ status: res.statusCode!, body: JSON.parse(text || '{}') }));
  });
  req.on('error', fail);
  return { req, response };
}

function write(req: ReturnType<typeof request>, from: number, to: number): void {
  let chunk = '';
  for (let i = from; i < to; i++) chunk += row(i);
  req.write(chunk);
}

async function until(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `breachflow ARGS` in a child process, without blocking this one (the upload keeps flowing). */
function cli(args: string[], env: NodeJS.ProcessEnv, input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'src', 'cli.ts'), ...args], { cwd: ROOT, env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  p.stdin.end(input);
  return new Promise((resolve) => p.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('leases: a long job is repaired only when its lease expired', () => {
  it('a CLI command run while the server imports a roster leaves the import whole', async () => {
    const { t, incidentId, auth } = await seed();
    const db = t.config.databasePath;
    const env = { DATABASE_PATH: db, LETTERS_DIR: t.config.lettersDir };
    const server = await startServer(env);
    try {
      const { req, response } = upload(server.url, `/api/incidents/${incidentId}/roster`, auth);
      req.write(HEADER);
      write(req, 1, ROWS / 2);
      await until('staged rows', async () => (await sqlCount(db, 'SELECT COUNT(*) AS n FROM roster_person WHERE active = 0')) >= 500);
      expect(await sqlCount(db, "SELECT COUNT(*) AS n FROM job_lease WHERE kind = 'roster_import'")).toBe(1);

      // The CLI boots the same modules (and their recovery) while the import is half-way.
      const added = await cli(['user', 'add', '--email', 'new@clinic.test', '--name', 'New Person', '--role', 'auditor', '--password-stdin'], env, 'a long enough passphrase\n');
      expect(added.stderr).toBe('');
      expect(added.code).toBe(0);
      expect(await sqlAll(db, "SELECT status FROM roster_import")).toEqual([{ status: 'running' }]);

      write(req, ROWS / 2, ROWS + 1);
      req.end();
      const { status, body } = await response;
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: 'done', rowsRead: ROWS, imported: ROWS });
      expect(await sqlCount(db, 'SELECT COUNT(*) AS n FROM roster_person WHERE active = 1')).toBe(ROWS);
      expect(await sqlCount(db, 'SELECT COUNT(*) AS n FROM job_lease')).toBe(0);
    } finally {
      await server.stop();
      await t.close();
    }
  }, 120_000);

  it('a server killed mid-import: the next start fails the import once its lease expired, and keeps none of it', async () => {
    const { t, incidentId, auth } = await seed();
    const db = t.config.databasePath;
    const env = { DATABASE_PATH: db, LETTERS_DIR: t.config.lettersDir, LEASE_SECONDS: '2' };
    const first = await startServer(env);
    const { req, response } = upload(first.url, `/api/incidents/${incidentId}/roster`, auth);
    response.catch(() => undefined); // the connection dies with the server
    req.write(HEADER);
    write(req, 1, ROWS / 2);
    await until('staged rows', async () => (await sqlCount(db, 'SELECT COUNT(*) AS n FROM roster_person WHERE active = 0')) >= 500);
    await new Promise<void>((resolve) => { first.proc.once('exit', () => resolve()); first.proc.kill('SIGKILL'); });
    req.destroy();

    const second = await startServer(env);
    try {
      await until('the import failed', async () => (await sqlAll<{ status: string }>(db, 'SELECT status FROM roster_import'))[0].status === 'failed', 15_000);
      expect(await sqlCount(db, 'SELECT COUNT(*) AS n FROM roster_person')).toBe(0);
      expect(await sqlCount(db, 'SELECT COUNT(*) AS n FROM job_lease')).toBe(0);
      const [{ summary }] = await sqlAll<{ summary: string }>(db, 'SELECT summary FROM roster_import');
      expect(JSON.parse(summary)).toMatchObject({ status: 'failed', imported: 0, message: expect.stringContaining('nothing was imported') });

      // And the incident takes a new import at once.
      const again = upload(second.url, `/api/incidents/${incidentId}/roster`, auth);
      again.req.end(`${HEADER}${row(1)}${row(2)}`);
      expect((await again.response).body).toMatchObject({ status: 'done', imported: 2 });
    } finally {
      await second.stop();
      await t.close();
    }
  }, 120_000);
});
