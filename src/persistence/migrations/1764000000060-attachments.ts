import { MigrationInterface, QueryRunner } from 'typeorm';
import { dropTrigger, refuseChanges } from '../migration-dialect';

/**
 * Evidence attached to an incident. The file itself is sealed on disk under its own data key;
 * the row holds that key sealed under the PHI key, the file name and description sealed too (they
 * may name a patient), and in clear only what counting and proof need: kind, size, SHA-256.
 * Rows are never deleted: a correction supersedes (kept six years, 45 CFR 164.530(j)).
 */
export class Attachments1764000000060 implements MigrationInterface {
  name = 'Attachments1764000000060';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "attachment" (
      "id" varchar PRIMARY KEY NOT NULL,
      "incident_id" varchar NOT NULL REFERENCES "incident" ("id"),
      "number" integer NOT NULL,
      "kind" varchar NOT NULL,
      "bytes" integer NOT NULL,
      "sha256" varchar NOT NULL,
      "sealed_meta" text NOT NULL,
      "sealed_key" text NOT NULL,
      "storage" varchar NOT NULL,
      "supersedes" varchar REFERENCES "attachment" ("id"),
      "superseded_by" varchar REFERENCES "attachment" ("id"),
      "actor" varchar NOT NULL,
      "at" varchar NOT NULL,
      UNIQUE ("incident_id", "number")
    )`);
    await q.query(`CREATE INDEX "attachment_incident" ON "attachment" ("incident_id", "number")`);
    await refuseChanges(q, 'attachment', [{ op: 'DELETE', trigger: 'attachment_no_delete', message: 'attachments are kept: supersede one instead of deleting it' }]);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropTrigger(q, 'attachment', 'attachment_no_delete');
    await q.query('DROP TABLE "attachment"');
  }
}
