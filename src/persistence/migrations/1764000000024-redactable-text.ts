import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trail stays append-only, with one opening: a redaction may rewrite an event's payload and
 * changes (sealed free text becomes a tombstone keeping the same commitment, which is what the
 * chain hashes, so `audit verify` proves nothing else moved). Every other column stays refused.
 * SQLite's trigger; on PostgreSQL the same rule belongs to the trigger the dialect work defines.
 */
export class RedactableText1764000000024 implements MigrationInterface {
  name = 'RedactableText1764000000024';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'sqlite') return;
    await q.query('DROP TRIGGER IF EXISTS "incident_event_no_update"');
    await q.query(`CREATE TRIGGER "incident_event_no_update" BEFORE UPDATE ON "incident_event"
      WHEN NEW."seq" IS NOT OLD."seq" OR NEW."incident_id" IS NOT OLD."incident_id" OR NEW."incident_version" IS NOT OLD."incident_version"
        OR NEW."type" IS NOT OLD."type" OR NEW."from_phase" IS NOT OLD."from_phase" OR NEW."to_phase" IS NOT OLD."to_phase"
        OR NEW."actor" IS NOT OLD."actor" OR NEW."at" IS NOT OLD."at" OR NEW."state_hash" IS NOT OLD."state_hash"
        OR NEW."prev_hash" IS NOT OLD."prev_hash" OR NEW."hash" IS NOT OLD."hash"
      BEGIN SELECT RAISE(ABORT, 'incident_event is append-only (only a redaction may replace sealed text)'); END`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'sqlite') return;
    await q.query('DROP TRIGGER IF EXISTS "incident_event_no_update"');
    await q.query(`CREATE TRIGGER "incident_event_no_update" BEFORE UPDATE ON "incident_event"
      BEGIN SELECT RAISE(ABORT, 'incident_event is append-only'); END`);
  }
}
