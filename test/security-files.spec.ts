import { statSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { IncidentsService } from '../src/incidents/incidents.service';
import { RosterService } from '../src/roster/roster.service';
import { Readable } from 'node:stream';
import { shippedPack } from './factories/facts';
import { runCli } from './support/run-cli';
import { sqlAll } from './support/sqlite';
import { startTestApp } from './support/test-app';

/** Issue 12, item 12: the database, WAL and SHM are owner-only; `phi rekey` re-seals everything under a new key. */
describe('files and keys', () => {
  it('creates the database, its WAL and SHM 0600; rekeys every sealed field, resumably and audited', async () => {
    const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    const actor = { id: 'seed', via: 'system' as const };
    const { id } = await t.app.get(IncidentsService).report(actor, { summary: 'Lost charts', facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 2, byJurisdiction: { OH: 2 } } } });
    await t.app.get(RosterService).import(id, actor, Readable.from(['name,state,address1,city,postal_code\nAda Lovelace,OH,1 Main St,Dayton,45402\nGrace Hopper,OH,3 Main St,Dayton,45402\n']), 'reject');
    const db = t.config.databasePath;
    for (const f of [db, `${db}-wal`, `${db}-shm`]) expect((statSync(f).mode & 0o777).toString(8)).toBe('600');
    const identities = await sqlAll<{ identity: string }>(db, 'SELECT identity FROM roster_person ORDER BY seq');
    await t.app.close();

    const newKey = join(t.dir, 'keys', 'phi-2.key');
    const env = { DATABASE_PATH: db };
    const run = runCli(['phi', 'rekey', '--new-key-file', newKey, '--actor', 'Pat'], { env });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('re-sealed 2 roster people and 0 queued emails under the new key (0 were done already)');
    expect((statSync(newKey).mode & 0o777).toString(8)).toBe('600');
    const again = runCli(['phi', 'rekey', '--new-key-file', newKey], { env });
    expect(again.stdout).toContain('re-sealed 0 roster people and 0 queued emails under the new key (2 were done already)');
    expect(await sqlAll<{ identity: string }>(db, 'SELECT identity FROM roster_person ORDER BY seq')).not.toEqual(identities);
    expect(await sqlAll(db, "SELECT actor FROM access_event WHERE type = 'phi.rekeyed'")).toEqual([{ actor: 'Pat (command line)' }, { actor: 'cli (command line)' }]);

    // The old key no longer opens the database; the new one does, and the people read back.
    await expect(createApp({ config: t.config, rulePack: shippedPack, clock: new FixedClock(new Date('2026-03-10T15:00:00Z')), logger: false }).then((a) => a.init())).rejects.toThrow(/not the key/);
    const after = await createApp({ config: { ...t.config, phiKeyFile: newKey }, rulePack: shippedPack, clock: new FixedClock(new Date('2026-03-10T15:00:00Z')), logger: false });
    await after.init();
    expect((await after.get(RosterService).person(id, 2))?.name).toBe('Grace Hopper');
    await after.close();
    await t.close();
  }, 90_000);
});
