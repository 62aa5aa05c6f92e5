import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { IncidentClient } from './support/incident-client';
import { UsersService } from '../src/auth/users.service';
import { shippedPack } from './factories/facts';
import { dbEnv } from './support/db';
import { runCli } from './support/run-cli';
import { startTestApp } from './support/test-app';

/** `phi rekey` re-seals free text too (same commitments): it reads back under the new key and the chain still verifies. */
describe('free text under a new PHI key', () => {
  it('rekeys summaries and notes; the state and chain hashes are unchanged', async () => {
    const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    const po = new IncidentClient(t.app, t.as('privacy_officer'));
    const { id } = await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 1, byJurisdiction: { OH: 1 } } }, 'Chart of Philomena Ashcombe lost');
    await po.walk(id, [{ type: 'triage.started' }, { type: 'incident.accepted', note: 'Ashcombe family called' }]);
    await t.app.close();
    const newKey = join(t.dir, 'keys', 'phi-2.key');
    const run = runCli(['phi', 'rekey', '--new-key-file', newKey], { env: dbEnv(t.config) });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/re-sealed [1-9]\d* free-text values \(summaries, notes, reasons\) under the new key/);
    const after = await createApp({ config: { ...t.config, phiKeyFile: newKey }, rulePack: shippedPack, clock: new FixedClock(new Date('2026-03-10T15:00:00Z')), logger: false });
    await after.init();
    try {
      const users = after.get(UsersService);
      const [po2] = (await users.list()).filter((u) => u.roles.includes('privacy_officer'));
      const auth = { Authorization: `Bearer ${(await users.createToken(po2.id, 'after')).token}` };
      expect((await request(after.getHttpServer()).get(`/api/incidents/${id}`).set(auth).expect(200)).body.summary).toBe('Chart of Philomena Ashcombe lost');
      expect((await request(after.getHttpServer()).get('/api/audit/verify').set(auth).expect(200)).body).toMatchObject({ intact: true });
    } finally {
      await after.close();
      await t.close();
    }
  }, 120_000);
});
