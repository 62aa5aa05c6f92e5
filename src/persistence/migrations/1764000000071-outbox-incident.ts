import { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from '../migration-dialect';

/**
 * Which incidents each outbox message is about, as rows (outbox_incident), so an incident's
 * deliveries are found by an index instead of LIKE over the JSON text of "incident_ids".
 *
 * The rows are written by the database itself when a message is queued (an AFTER INSERT trigger
 * reading "incident_ids", which never changes after the insert): every writer of the outbox
 * (reminders, plan news, letters) fills it without knowing of it, and an upsert that inserts
 * nothing adds nothing. No common form exists for reading a JSON array in a trigger, so SQLite
 * uses json_each and PostgreSQL json_array_elements_text. Existing messages are filled in here.
 */
export class OutboxIncident1764000000071 implements MigrationInterface {
  name = 'OutboxIncident1764000000071';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "outbox_incident" (
      "incident_id" varchar NOT NULL,
      "outbox_id" integer NOT NULL REFERENCES "outbox" ("id"),
      PRIMARY KEY ("incident_id", "outbox_id")
    )`);
    if (isPostgres(q)) {
      await q.query(`CREATE FUNCTION "bf_outbox_incident"() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO "outbox_incident" ("incident_id", "outbox_id")
            SELECT DISTINCT e, NEW."id" FROM json_array_elements_text(CAST(NEW."incident_ids" AS json)) AS e;
          RETURN NULL;
        END $$`);
      await q.query(`CREATE TRIGGER "outbox_incident_fill" AFTER INSERT ON "outbox" FOR EACH ROW EXECUTE FUNCTION "bf_outbox_incident"()`);
      await q.query(`INSERT INTO "outbox_incident" ("incident_id", "outbox_id")
        SELECT DISTINCT e, o."id" FROM "outbox" o, json_array_elements_text(CAST(o."incident_ids" AS json)) AS e`);
    } else {
      await q.query(`CREATE TRIGGER "outbox_incident_fill" AFTER INSERT ON "outbox"
        BEGIN INSERT INTO "outbox_incident" ("incident_id", "outbox_id") SELECT DISTINCT j."value", NEW."id" FROM json_each(NEW."incident_ids") j; END`);
      await q.query(`INSERT INTO "outbox_incident" ("incident_id", "outbox_id")
        SELECT DISTINCT j."value", o."id" FROM "outbox" o, json_each(o."incident_ids") j`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    if (isPostgres(q)) {
      await q.query(`DROP TRIGGER "outbox_incident_fill" ON "outbox"`);
      await q.query(`DROP FUNCTION "bf_outbox_incident"()`);
    } else {
      await q.query(`DROP TRIGGER "outbox_incident_fill"`);
    }
    await q.query(`DROP TABLE "outbox_incident"`);
  }
}
