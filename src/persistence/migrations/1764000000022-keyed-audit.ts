import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chains become keyed (HMAC under a key kept outside the database). Events written before
 * this migration keep their plain SHA-256 links: each chain records from which seq it is keyed.
 */
export class KeyedAudit1764000000022 implements MigrationInterface {
  name = 'KeyedAudit1764000000022';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_chain" ("chain" varchar PRIMARY KEY NOT NULL, "keyed_from" integer NOT NULL)`);
    await q.query(`INSERT INTO "audit_chain" ("chain", "keyed_from") SELECT 'incident_event', COALESCE(MAX("seq"), 0) + 1 FROM "incident_event"`);
    await q.query(`INSERT INTO "audit_chain" ("chain", "keyed_from") SELECT 'access_event', COALESCE(MAX("seq"), 0) + 1 FROM "access_event"`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "audit_chain"`);
  }
}
