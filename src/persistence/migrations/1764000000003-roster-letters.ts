import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The roster of affected individuals (personal fields sealed with AES-256-GCM; only the state of
 * residence, the delivery route and status are in clear, for counting), its imports with their
 * progress, the letter content an incident's notices need, and letter batches. Outbox messages to
 * patients carry their address and letter sealed too.
 */
export class RosterLetters1764000000003 implements MigrationInterface {
  name = 'RosterLetters1764000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "phi_key_check" ("id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1), "sealed" text NOT NULL)`);
    await q.query(`CREATE TABLE "roster_import" (
      "id" varchar PRIMARY KEY NOT NULL,
      "incident_id" varchar NOT NULL REFERENCES "incident" ("id"),
      "status" varchar NOT NULL,
      "mode" varchar NOT NULL,
      "rows_read" integer NOT NULL DEFAULT 0,
      "summary" text,
      "actor" varchar NOT NULL,
      "started_at" varchar NOT NULL,
      "finished_at" varchar
    )`);
    await q.query(`CREATE INDEX "roster_import_incident" ON "roster_import" ("incident_id", "started_at")`);
    await q.query(`CREATE TABLE "roster_person" (
      "incident_id" varchar NOT NULL REFERENCES "incident" ("id"),
      "seq" integer NOT NULL,
      "import_id" varchar NOT NULL REFERENCES "roster_import" ("id"),
      "row_no" integer NOT NULL,
      "active" integer NOT NULL,
      "identity" varchar NOT NULL,
      "resident_state" varchar NOT NULL,
      "status" varchar NOT NULL,
      "has_address" integer NOT NULL,
      "email_ok" integer NOT NULL,
      "returned_on" varchar,
      "notified_batch" varchar,
      "sealed" text NOT NULL,
      PRIMARY KEY ("incident_id", "seq")
    )`);
    await q.query(`CREATE INDEX "roster_person_identity" ON "roster_person" ("incident_id", "identity")`);
    await q.query(`CREATE INDEX "roster_person_import" ON "roster_person" ("import_id", "row_no")`);
    await q.query(`CREATE TABLE "notice_content" (
      "incident_id" varchar PRIMARY KEY NOT NULL REFERENCES "incident" ("id"),
      "content" text NOT NULL,
      "updated_by" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await q.query(`CREATE TABLE "letter_batch" (
      "id" varchar PRIMARY KEY NOT NULL,
      "incident_id" varchar NOT NULL REFERENCES "incident" ("id"),
      "status" varchar NOT NULL,
      "total" integer NOT NULL,
      "done" integer NOT NULL DEFAULT 0,
      "detail" text NOT NULL,
      "error" text,
      "actor" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "finished_at" varchar,
      "sent_on" varchar
    )`);
    await q.query(`CREATE INDEX "letter_batch_incident" ON "letter_batch" ("incident_id", "created_at")`);
    await q.query(`ALTER TABLE "outbox" ADD COLUMN "sealed" text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "outbox" DROP COLUMN "sealed"`);
    for (const t of ['letter_batch', 'notice_content', 'roster_person', 'roster_import', 'phi_key_check']) await q.query(`DROP TABLE "${t}"`);
  }
}
