import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxRepository } from '../src/reminders/outbox.repository';
import { dataSourceOptions, MIGRATIONS } from '../src/persistence/data-source-options';
import { execute } from '../src/persistence/sql';
import { PhiKeyCheckRepository } from '../src/roster/phi-key-check.repository';
import { RosterImportRepository } from '../src/roster/roster-import.repository';
import { RosterPersonRepository, StagedPerson } from '../src/roster/roster-person.repository';
import { IncidentRepository } from '../src/incidents/incident.repository';
import { PracticeSettingsRepository } from '../src/settings/practice-settings.repository';

/**
 * Repository ("medium") tests: the roster's, the settings' and the news outbox's SQL against a real
 * database migrated as the app migrates it. SQLite always; PostgreSQL too when DATABASE_URL names
 * one (each run in a fresh database of its own), so one scenario holds on both engines.
 */

interface Engine { name: string; open: () => Promise<{ db: DataSource; close: () => Promise<void> }> }

const sqlite: Engine = {
  name: 'sqlite',
  open: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bf-repo-'));
    const db = await new DataSource(dataSourceOptions(join(dir, 'repo.sqlite'))).initialize();
    return { db, close: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
  },
};

const postgres = (url: string): Engine => ({
  name: 'postgres',
  open: async () => {
    const name = `bf_repo_${randomUUID().replace(/-/g, '')}`;
    const admin = await new DataSource({ type: 'postgres', url }).initialize();
    await admin.query(`CREATE DATABASE "${name}"`);
    const target = new URL(url);
    target.pathname = `/${name}`;
    const db = await new DataSource({ type: 'postgres', url: target.toString(), migrations: MIGRATIONS, migrationsRun: true, migrationsTransactionMode: 'each' }).initialize();
    return { db, close: async () => { await db.destroy(); await admin.query(`DROP DATABASE "${name}"`); await admin.destroy(); } };
  },
});

const url = process.env.DATABASE_URL;
const ENGINES: Engine[] = [sqlite, ...(url?.startsWith('postgres') ? [postgres(url)] : [])];

describe.each(ENGINES)('roster, settings and news repositories on $name', (engine) => {
  let db: DataSource;
  let close: () => Promise<void>;
  let m: EntityManager;
  const people = new RosterPersonRepository();
  const imports = new RosterImportRepository();

  beforeAll(async () => {
    ({ db, close } = await engine.open());
    m = db.manager;
    for (const [id, reference, open] of [['i1', 'BF-2026-0001', 1], ['i2', 'BF-2026-0002', 0]] as const) {
      await execute(m, `INSERT INTO "incident" ("id", "reference", "phase", "is_open", "snapshot", "machine_version", "rule_pack_version", "version", "created_at", "updated_at")
        VALUES ($1, $2, 'assessment', $3, '{}', 1, 'test', 1, '2026-01-05T00:00:00.000Z', '2026-01-05T00:00:00.000Z')`, [id, reference, open]);
    }
  });
  afterAll(() => close());

  const staged = (importId: string, seq: number, rowNo: number, identity: string, residentState: string, extra: Partial<StagedPerson> = {}): StagedPerson => ({
    incidentId: 'i1', seq, importId, rowNo, identity, residentState, status: 'living', hasAddress: true, emailOk: false, sealed: `sealed ${seq}`, ...extra,
  });

  it('stages an import, names its duplicates (in the file and on the roster), activates the rest and counts them', async () => {
    await imports.insertRunning(m, { id: 'im1', incidentId: 'i1', mode: 'reject', actor: 'u1', startedAt: '2026-01-05T10:00:00.000Z' });
    expect(await imports.runningFor(m, 'i1')).toBe('im1');
    expect(await people.nextSeq(m, 'i1')).toBe(1);
    await people.insertStaged(m, [
      staged('im1', 1, 2, 'a', 'OH'), staged('im1', 2, 3, 'b', 'OH', { emailOk: true }),
      staged('im1', 3, 4, 'a', 'NJ'), staged('im1', 4, 5, 'c', 'NJ', { hasAddress: false, status: 'deceased' }),
    ]);
    await imports.setRowsRead(m, 'im1', 4);
    expect(await people.duplicates(m, 'i1', 'im1', 1000)).toEqual({ rows: [{ row_no: 4, dup_of: 'row 2' }], count: 1 });
    expect(await people.deleteDuplicates(m, 'i1', 'im1')).toBe(1);
    expect(await people.activate(m, 'im1')).toBe(3);
    expect(await people.countActiveOfImport(m, 'im1')).toBe(3);
    expect(await people.nextSeq(m, 'i1')).toBe(5);

    // A second import: someone already on the roster is a duplicate; a failed import's rows go.
    await imports.insertRunning(m, { id: 'im2', incidentId: 'i1', mode: 'skip', actor: 'u1', startedAt: '2026-01-06T10:00:00.000Z' });
    await people.insertStaged(m, [staged('im2', 5, 2, 'b', 'OH'), staged('im2', 6, 3, 'd', 'OH')]);
    expect(await people.duplicates(m, 'i1', 'im2', 1000)).toEqual({ rows: [{ row_no: 2, dup_of: 'person 2, already on the roster' }], count: 1 });
    expect(await people.duplicates(m, 'i1', 'im2', 0)).toEqual({ rows: [], count: 1 });
    expect(await people.deleteStaged(m, 'im2')).toBe(2);
    expect(await people.nextSeq(m, 'i1')).toBe(5);
  });

  it('counts per state as numbers on every engine', async () => {
    const rows = (await people.countsByState(m, 'i1')).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'resident_state' ? v : Number(v)])));
    expect(rows).toEqual([
      { resident_state: 'NJ', n: 1, email: 0, mail: 0, insufficient: 0, deceased_unreachable: 1, returned: 0 },
      { resident_state: 'OH', n: 2, email: 1, mail: 1, insufficient: 0, deceased_unreachable: 0, returned: 0 },
    ]);
  });

  it('finds people with their notice date, records returned mail, pages by batch, removes people', async () => {
    await execute(m, `INSERT INTO "letter_batch" ("id", "incident_id", "status", "total", "detail", "actor", "created_at", "sent_on") VALUES ('b1', 'i1', 'sent', 1, '{}', 'u1', '2026-02-01T00:00:00.000Z', '2026-02-01')`);
    await execute(m, `UPDATE "roster_person" SET "notified_batch" = 'b1' WHERE "incident_id" = 'i1' AND "seq" = 2`);
    expect([...(await people.sentOn(m, 'i1', [1, 2, 4, 99]))].sort()).toEqual([[1, null], [2, '2026-02-01'], [4, null]]);
    expect(await people.setReturnedOn(m, 'i1', [1], '2026-02-05')).toBe(1);
    expect(await people.findActive(m, 'i1', 1)).toEqual({ seq: 1, returned_on: '2026-02-05', sealed: 'sealed 1' });
    expect(await people.findActive(m, 'i1', 3)).toBeNull(); // the duplicate never became active
    expect((await people.page(m, 'i1', 0, 2)).map((r) => r.seq)).toEqual([1, 2]);
    expect((await people.page(m, 'i1', 2, 2)).map((r) => r.seq)).toEqual([4]);
    expect((await people.page(m, 'i1', 0, 10, 'b1')).map((r) => r.seq)).toEqual([2]);
    expect(await people.deletePeople(m, 'i1', [4])).toBe(1);
    const many = Array.from({ length: 1200 }, (_, i) => i + 1000); // more than one slice of placeholders
    expect(await people.deletePeople(m, 'i1', many)).toBe(0);
    expect((await people.sentOn(m, 'i1', [...many, 1])).size).toBe(1);
  });

  it('re-seals page by page, in (incident, seq) order', async () => {
    expect((await people.sealedAfter(m, { incident: '', seq: 0 }, 1)).map((r) => [r.incident_id, Number(r.seq)])).toEqual([['i1', 1]]);
    expect((await people.sealedAfter(m, { incident: 'i1', seq: 1 }, 10)).map((r) => Number(r.seq))).toEqual([2]);
    await people.reseal(m, 'i1', 1, 'resealed', 'a2');
    expect((await people.findActive(m, 'i1', 1))?.sealed).toBe('resealed');
  });

  it('keeps an import summary, and answers a finished import as no longer running', async () => {
    await imports.saveSummary(m, 'im1', { importId: 'im1', status: 'done', mode: 'reject', rowsRead: 4, imported: 3, invalidRows: 0, errors: [], duplicates: { count: 1, rows: [] }, message: 'ok' }, '2026-01-05T10:01:00.000Z');
    expect(await imports.running(m, 'im1')).toBeNull();
    expect((await imports.running(m, 'im2'))?.mode).toBe('skip');
    expect((await imports.recent(m, 'i1', 20)).map((r) => [r.id, r.status])).toEqual([['im2', 'running'], ['im1', 'done']]);
    expect(JSON.parse((await imports.get(m, 'i1', 'im1'))!.summary!).imported).toBe(3);
    expect(await imports.get(m, 'i2', 'im1')).toBeNull();
  });

  it('writes the key check once, and replaces it on a re-key', async () => {
    const keys = new PhiKeyCheckRepository();
    expect(await keys.sealed(m)).toBeNull();
    await keys.insert(m, 'first');
    await keys.insert(m, 'second');
    expect(await keys.sealed(m)).toBe('first');
    await keys.update(m, 'rekeyed');
    expect(await keys.sealed(m)).toBe('rekeyed');
  });

  it('stores the practice settings as one row, and reads incidents by reference or id and the open ones', async () => {
    const settings = new PracticeSettingsRepository();
    expect(await settings.stored(m)).toBeNull();
    await settings.save(m, '{"practiceName":"A"}', 'u1', '2026-01-05T00:00:00.000Z');
    await settings.save(m, '{"practiceName":"B"}', 'u2', '2026-01-06T00:00:00.000Z');
    expect(await settings.stored(m)).toBe('{"practiceName":"B"}');
    const incidents = new IncidentRepository();
    expect(await incidents.openSnapshots(m)).toEqual([{ id: 'i1', snapshot: '{}' }]);
    expect([await incidents.idOfIdOrReference(m, 'BF-2026-0002'), await incidents.idOfIdOrReference(m, 'i1'), await incidents.idOfIdOrReference(m, 'BF-2026-0009')])
      .toEqual(['i2', 'i1', null]);
    expect(await db.transaction(async (tx) => [(await incidents.load(tx, 'i1', true))?.id, await incidents.load(tx, 'nobody', true)])).toEqual(['i1', null]);
  });

  it('queues a message once per idempotency key, and re-seals sealed messages', async () => {
    const outbox = new OutboxRepository();
    const message = { key: 'news:k', messageId: '<k@breachflow>', incidentIds: ['i1'], recipient: 'po@example.org', subject: 's', text: 't', html: '<p>h</p>' };
    expect(await outbox.insertOnce(m, message, '2026-01-05T00:00:00.000Z')).toBe(1);
    expect(await outbox.insertOnce(m, { ...message, subject: 'again' }, '2026-01-05T00:00:00.000Z')).toBe(0);
    await execute(m, `UPDATE "outbox" SET "sealed" = 'old' WHERE "idempotency_key" = 'news:k'`);
    const [row] = await outbox.sealedAfter(m, 0, 500);
    expect(row).toMatchObject({ idempotency_key: 'news:k', sealed: 'old' });
    await outbox.reseal(m, Number(row.id), 'new');
    expect((await outbox.sealedAfter(m, 0, 500)).map((r: { sealed: string }) => r.sealed)).toEqual(['new']);
    expect(await outbox.sealedAfter(m, Number(row.id), 500)).toEqual([]);
  });
});
