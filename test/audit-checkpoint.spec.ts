import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../src/audit/canonical';
import { hashEntry } from '../src/audit/audit-trail';
import { LettersService } from '../src/letters/letters.service';
import { CONTAIN, IncidentClient } from './support/incident-client';
import { runCli } from './support/run-cli';
import { dbEnv, dropTriggerSql, snapshotDb, TestDb, testDb } from './support/db';
import { startTestApp } from './support/test-app';

/**
 * Issue 12, item 4: the chain is keyed (HMAC under audit.key, outside the database), and a signed
 * checkpoint kept elsewhere catches what a keyed chain alone cannot: a chain recomputed by someone
 * holding the key, and a removed last event.
 */

interface Row { seq: number; incident_id: string; incident_version: number; type: string; payload: string; changes: string | null; from_phase: string | null; to_phase: string; actor: string; at: string; state_hash: string; prev_hash: string; hash: string }

/** Rewrites event #from's actor and relinks every event after it, as a forger would: with `hash` as the link function. */
async function forge(db: TestDb, from: number, link: (e: Parameters<typeof hashEntry>[0]) => string): Promise<void> {
  const rows = (await db.all<Row>('SELECT * FROM "incident_event" ORDER BY "seq"')).map((r) => ({ ...r, seq: Number(r.seq), incident_version: Number(r.incident_version) }));
  let prev = rows[from - 2].hash;
  const updates = [dropTriggerSql(db.engine, 'incident_event', 'incident_event_no_update')];
  for (const r of rows.slice(from - 1)) {
    const actor = r.seq === from ? 'Someone Else <else@clinic.test>' : r.actor;
    const e = {
      seq: r.seq, incidentId: r.incident_id, incidentVersion: r.incident_version, type: r.type, payload: JSON.parse(r.payload), changes: r.changes === null ? null : JSON.parse(r.changes),
      fromPhase: r.from_phase, toPhase: r.to_phase, actor, at: r.at, stateHash: r.state_hash, prevHash: prev,
    };
    const hash = link(e);
    updates.push(`UPDATE "incident_event" SET "actor" = '${actor}', "prev_hash" = '${prev}', "hash" = '${hash}' WHERE "seq" = ${r.seq};`);
    prev = hash;
  }
  await db.exec(updates.join('\n'));
}

describe('audit: keyed chain and signed checkpoints', () => {
  it('a checkpoint proves nothing before it changed: a recomputed chain and a removed last event are caught', async () => {
    const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    const client = new IncidentClient(t.app, t.as('privacy_officer'));
    const inc = await client.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 3, byJurisdiction: { OH: 3 } } });
    await client.walk(inc.id, CONTAIN.slice(0, 3));
    await t.app.get(LettersService).putContent(inc.id, { id: 'Pat', via: 'system' }, { whatHappened: 'A fax went to the wrong number.' });
    await t.app.close();
    const db = testDb(t.config);
    const env = dbEnv(t.config);
    const key = Buffer.from(readFileSync(join(t.dir, 'data', 'audit.key'), 'utf8').trim(), 'base64');
    expect(key).toHaveLength(32);

    const cp = runCli(['audit', 'checkpoint'], { env });
    expect(cp.status).toBe(0);
    const checkpoint = JSON.parse(cp.stdout);
    expect(checkpoint).toMatchObject({ breachflowAuditCheckpoint: 1, incidentEvents: { count: 5 }, accessEvents: { count: 8 }, mac: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const file = join(t.dir, 'checkpoint.json');
    writeFileSync(file, cp.stdout);
    expect(runCli(['audit', 'verify', '--checkpoint', file], { env })).toMatchObject({ status: 0, stdout: expect.stringContaining('everything the checkpoint saw is unchanged') });
    const pristine = await snapshotDb(t.config);

    // Recomputed without the key (plain SHA-256, as the old chain was): the keyed check alone catches it.
    await forge(db, 2, (e) => sha256(JSON.stringify(e)));
    const unkeyed = runCli(['audit', 'verify'], { env });
    expect(unkeyed.status).toBe(3);
    expect(unkeyed.stderr).toContain('event #2');

    // Recomputed WITH the key (an insider): the chain alone verifies, the checkpoint does not.
    await pristine.restore();
    await forge(db, 2, (e) => hashEntry(e, key, true));
    expect(runCli(['audit', 'verify'], { env }).status).toBe(0);
    const rewritten = runCli(['audit', 'verify', '--checkpoint', file], { env });
    expect(rewritten.status).toBe(3);
    expect(rewritten.stderr).toContain('incident event #5 is not the one the checkpoint');

    // The last event removed: no broken link, but fewer events than the checkpoint saw.
    await pristine.restore();
    await db.exec(`${dropTriggerSql(db.engine, 'incident_event', 'incident_event_no_delete')} DELETE FROM "incident_event" WHERE "seq" = 5;`);
    expect(runCli(['audit', 'verify'], { env }).status).toBe(0);
    const removed = runCli(['audit', 'verify', '--checkpoint', file], { env });
    expect(removed.status).toBe(3);
    expect(removed.stderr).toContain('the trail now has fewer: events were removed');

    // A checkpoint edited to match is refused by its MAC.
    writeFileSync(file, JSON.stringify({ ...checkpoint, incidentEvents: { count: 4, head: checkpoint.incidentEvents.head } }));
    expect(runCli(['audit', 'verify', '--checkpoint', file], { env }).stderr).toContain('the checkpoint was edited, or made with another audit key');
    await pristine.drop();
    await t.close();
  }, 120_000);
});
