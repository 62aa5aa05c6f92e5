import { MigrationInterface, QueryRunner } from 'typeorm';
import { generatedId } from '../migration-dialect';

/**
 * Practice settings, reminder rows (derived from open obligations, rewritten with every change)
 * and the outbox of messages the dispatcher sends, each with a unique idempotency key.
 */
export class Reminders1764000000002 implements MigrationInterface {
  name = 'Reminders1764000000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "practice_settings" (
      "id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1),
      "settings" text NOT NULL,
      "updated_by" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await q.query(`CREATE TABLE "reminder" (
      ${generatedId(q, 'id')},
      "incident_id" varchar NOT NULL REFERENCES "incident" ("id"),
      "obligation_key" varchar NOT NULL,
      "due_on" varchar NOT NULL,
      "send_on" varchar NOT NULL,
      "kind" varchar NOT NULL,
      "days_left" integer NOT NULL,
      "escalate" integer NOT NULL,
      "due_at" varchar NOT NULL,
      "status" varchar NOT NULL
    )`);
    await q.query(`CREATE INDEX "reminder_status_due_at" ON "reminder" ("status", "due_at")`);
    await q.query(`CREATE INDEX "reminder_incident" ON "reminder" ("incident_id", "status")`);
    await q.query(`CREATE TABLE "outbox" (
      ${generatedId(q, 'id')},
      "idempotency_key" varchar NOT NULL UNIQUE,
      "message_id" varchar NOT NULL UNIQUE,
      "incident_ids" text NOT NULL,
      "recipient" varchar NOT NULL,
      "subject" text NOT NULL,
      "text" text NOT NULL,
      "html" text NOT NULL,
      "status" varchar NOT NULL,
      "attempts" integer NOT NULL DEFAULT 0,
      "next_attempt_at" varchar NOT NULL,
      "last_error" text,
      "created_at" varchar NOT NULL,
      "sent_at" varchar
    )`);
    await q.query(`CREATE INDEX "outbox_status_next" ON "outbox" ("status", "next_attempt_at")`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['outbox', 'reminder', 'practice_settings']) await q.query(`DROP TABLE "${t}"`);
  }
}
