import { IncidentClient } from './support/incident-client';
import { testDb } from './support/db';
import { startTestApp } from './support/test-app';

/** Issue 12 follow-up: each chain's head (seq, hash) is one row advanced in the appending transaction, and always names the last event. */
describe('audit chain heads', () => {
  it('the head rows name each chain\'s last event after appends on both chains; the chain verifies', async () => {
    const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    try {
      const po = new IncidentClient(t.app, t.as('privacy_officer'));
      const { id } = await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 1, byJurisdiction: { NY: 1 } } });
      await Promise.all([po.send(id, { type: 'triage.started' }), po.http().put('/api/settings').set(t.as('admin')).send({ practiceName: 'Lakeside' })]);
      const db = testDb(t.config);
      const heads = (await db.all<{ chain: string; seq: number; hash: string }>('SELECT "chain", "seq", "hash" FROM "audit_chain_head" ORDER BY "chain"')).map((h) => ({ ...h, seq: Number(h.seq) }));
      const last = async (table: string) => (await db.all<{ seq: number; hash: string }>(`SELECT "seq", "hash" FROM "${table}" ORDER BY "seq" DESC LIMIT 1`)).map((h) => ({ ...h, seq: Number(h.seq) }))[0];
      expect(heads).toEqual([{ chain: 'access_event', ...(await last('access_event')) }, { chain: 'incident_event', ...(await last('incident_event')) }]);
      expect(heads[1].seq).toBe(2);
      expect((await po.http().get('/api/audit/verify').expect(200)).body).toMatchObject({ intact: true, events: 2 });
    } finally {
      await t.close();
    }
  }, 60_000);
});
