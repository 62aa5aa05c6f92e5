import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { sqlAll } from './support/sqlite';
import { planFromInput } from '../src/domain/rules/plan';
import { shippedPack } from './factories/facts';
import { startTestApp, TestApp } from './support/test-app';

const example = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'contract-examples', '01-mixed-states-substitute.json'), 'utf8'));

async function tables(path: string): Promise<string[]> {
  return (await sqlAll<{ name: string }>(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
}

describe('HTTP: health and the plan', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('creates and migrates the SQLite file on first start, and says so on /api/health', async () => {
    expect(existsSync(t.config.databasePath)).toBe(true);
    expect(await tables(t.config.databasePath)).toEqual(expect.arrayContaining(['migrations', 'rule_pack_version']));
    const res = await request(t.app.getHttpServer()).get('/api/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: 'ok',
      engine: { name: 'sqlite', version: expect.stringMatching(/^3\.\d+\.\d+$/) },
      migrations: ['InitialSchema1764000000000', 'Incidents1764000000001', 'Reminders1764000000002', 'RosterLetters1764000000003', 'Accounts1764000000004', 'JobLease1764000000020', 'AccessAudit1764000000021', 'KeyedAudit1764000000022', 'SessionIdle1764000000023', 'RedactableText1764000000024', 'Retention1764000000025', 'UserRoles1764000000026', 'AuditChainHead1764000000027', 'LetterFiles1764000000040', 'Attachments1764000000060', 'IncidentReferenceCounter1764000000070', 'OutboxIncident1764000000071', 'RetentionJobLease1764000000090', 'AttachmentBytesBigint1764000000091'],
      rulePack: { version: shippedPack.version, reviewedOn: shippedPack.reviewedOn, jurisdictions: 54, knownVersions: [shippedPack.version] },
    });
  });

  it('POST /api/plan answers 200 with the same plan the pure function gives', async () => {
    const res = await request(t.app.getHttpServer()).post('/api/plan').send(example.facts).expect(200);
    const expected = planFromInput(example.facts, shippedPack);
    expect(expected.ok && res.body).toEqual(expected.ok && expected.value);
    expect(res.body.obligations.filter((o: { regime: string }) => o.regime === 'HIPAA')).toHaveLength(5);
  });

  it('answers 422 naming each bad field', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/plan')
      .send({ ...example.facts, affected: { total: 10, byJurisdiction: { XX: 3, CA: -1 } } })
      .expect(422);
    expect(res.body).toEqual({
      errors: [
        { path: 'affected.byJurisdiction.XX', message: expect.stringMatching(/unknown jurisdiction/) },
        { path: 'affected.byJurisdiction.CA', message: 'must be 0 or more, got -1' },
      ],
    });
  });

  it('refuses a discovery after today in the practice\'s time zone (America/New_York), naming the field', async () => {
    // 2026-11-24T03:30Z is still 2026-11-23 (22:30) in New York: the 24th is tomorrow there.
    t.clock.set(new Date('2026-11-24T03:30:00Z'));
    try {
      const post = (discovery: unknown) => request(t.app.getHttpServer()).post('/api/plan').send({ ...example.facts, discovery, lawEnforcementDelay: undefined });
      const res = await post({ date: '2026-11-24' }).expect(422);
      expect(res.body.errors).toEqual([{ path: 'discovery.date', message: '2026-11-24 is after today (2026-11-23 where the practice is): a breach cannot be discovered in the future; check the date' }]);
      const at = await post({ at: '2026-11-24T03:00:00Z', timezone: 'Asia/Tokyo' }).expect(422); // 12:00 on the 24th in Tokyo
      expect(at.body.errors[0].path).toBe('discovery.at');
      await post({ date: '2026-11-23' }).expect(200);
      const far = await post({ date: '9999-12-31' }).expect(422);
      expect(far.body.errors).toEqual([{ path: 'discovery.date', message: '9999-12-31 is after 2100: check the year' }]);
    } finally {
      t.clock.set(new Date('2026-11-23T15:00:00Z'));
    }
  });

  it('answers 422 for a body that is not an object', async () => {
    const res = await request(t.app.getHttpServer()).post('/api/plan').send([1, 2]).expect(422);
    expect(res.body.errors[0]).toEqual({ path: '', message: 'must be an object, got an array' });
  });

  it('answers 400, not 500, for a body that is not JSON', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/plan')
      .set('Content-Type', 'application/json')
      .send('{"discovery": ')
      .expect(400);
    expect(res.body).toEqual({ errors: [{ path: '', message: 'the request body is not valid JSON' }] });
  });

  it('answers 413 for a body over 1 MB', async () => {
    const res = await request(t.app.getHttpServer())
      .post('/api/plan')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(res.body).toEqual({ errors: [{ path: '', message: 'the request body is too large' }] });
  });

  it('answers 404 as JSON for an unknown route', async () => {
    const res = await request(t.app.getHttpServer()).get('/api/nothing-here').expect(404);
    expect(res.body.errors[0].message).toMatch(/Cannot GET/);
  });
});
