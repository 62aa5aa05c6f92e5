import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trail stays append-only, with one opening: a redaction may rewrite an event's payload and
 * changes (sealed free text becomes a tombstone keeping the same commitment, which is what the
 * chain hashes, so `audit verify` proves nothing else moved). Every other column stays refused.
 * The same rule on both engines: SQLite's trigger with a WHEN, PostgreSQL's with a WHEN calling the
 * refusal function of migration 001 (src/persistence/migration-dialect.ts).
 */
const KEPT = ['seq', 'incident_id', 'incident_version', 'type', 'from_phase', 'to_phase', 'actor', 'at', 'state_hash', 'prev_hash', 'hash'];
const MESSAGE = 'incident_event is append-only (only a redaction may replace sealed text)';

export class RedactableText1764000000024 implements MigrationInterface {
  name = 'RedactableText1764000000024';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      const changed = KEPT.map((c) => `NEW."${c}" IS DISTINCT FROM OLD."${c}"`).join(' OR ');
      await q.query('DROP TRIGGER IF EXISTS "incident_event_no_update" ON "incident_event"');
      await q.query(`CREATE TRIGGER "incident_event_no_update" BEFORE UPDATE ON "incident_event" FOR EACH ROW
        WHEN (${changed}) EXECUTE FUNCTION "bf_refuse_change"('${MESSAGE}')`);
      return;
    }
    const changed = KEPT.map((c) => `NEW."${c}" IS NOT OLD."${c}"`).join(' OR ');
    await q.query('DROP TRIGGER IF EXISTS "incident_event_no_update"');
    await q.query(`CREATE TRIGGER "incident_event_no_update" BEFORE UPDATE ON "incident_event"
      WHEN ${changed}
      BEGIN SELECT RAISE(ABORT, '${MESSAGE}'); END`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') {
      await q.query('DROP TRIGGER IF EXISTS "incident_event_no_update" ON "incident_event"');
      await q.query(`CREATE TRIGGER "incident_event_no_update" BEFORE UPDATE ON "incident_event" FOR EACH ROW EXECUTE FUNCTION "bf_refuse_change"('incident_event is append-only')`);
      return;
    }
    await q.query('DROP TRIGGER IF EXISTS "incident_event_no_update"');
    await q.query(`CREATE TRIGGER "incident_event_no_update" BEFORE UPDATE ON "incident_event"
      BEGIN SELECT RAISE(ABORT, 'incident_event is append-only'); END`);
  }
}
