import { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseChanges } from '../migration-dialect';

/**
 * Incidents (the persisted machine snapshot with an optimistic version), the obligations derived
 * from it, the append-only hash-chained audit trail, and idempotency keys.
 */
export class Incidents1764000000001 implements MigrationInterface {
  name = 'Incidents1764000000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "incident" (
      "id" varchar PRIMARY KEY NOT NULL,
      "reference" varchar NOT NULL UNIQUE,
      "phase" varchar NOT NULL,
      "is_open" integer NOT NULL,
      "snapshot" text NOT NULL,
      "machine_version" integer NOT NULL,
      "rule_pack_version" varchar NOT NULL,
      "version" integer NOT NULL,
      "created_at" varchar NOT NULL,
      "updated_at" varchar NOT NULL
    )`);
    await q.query(`CREATE INDEX "incident_open_phase" ON "incident" ("is_open", "phase")`);
    await q.query(`CREATE TABLE "obligation" (
      "incident_id" varchar NOT NULL REFERENCES "incident" ("id"),
      "key" varchar NOT NULL,
      "regime" varchar NOT NULL,
      "audience" varchar NOT NULL,
      "jurisdiction" varchar,
      "recipient" text NOT NULL,
      "due_on" varchar NOT NULL,
      "due_before_hold" varchar,
      "why" text NOT NULL,
      "citation" text NOT NULL,
      "verify" integer NOT NULL,
      "verify_reason" text,
      "status" varchar NOT NULL,
      "proof" text,
      "reason" text,
      "updated_at" varchar NOT NULL,
      PRIMARY KEY ("incident_id", "key")
    )`);
    await q.query(`CREATE INDEX "obligation_status_due" ON "obligation" ("status", "due_on")`);
    await q.query(`CREATE TABLE "incident_event" (
      "seq" integer PRIMARY KEY NOT NULL,
      "incident_id" varchar NOT NULL REFERENCES "incident" ("id"),
      "incident_version" integer NOT NULL,
      "type" varchar NOT NULL,
      "payload" text NOT NULL,
      "changes" text,
      "from_phase" varchar,
      "to_phase" varchar NOT NULL,
      "actor" varchar NOT NULL,
      "at" varchar NOT NULL,
      "state_hash" varchar NOT NULL,
      "prev_hash" varchar NOT NULL,
      "hash" varchar NOT NULL UNIQUE
    )`);
    await q.query(`CREATE INDEX "incident_event_incident" ON "incident_event" ("incident_id", "seq")`);
    // The trail is append-only: the database itself refuses edits. Someone with the file can still
    // drop these; the hash chain is what shows it (breachflow audit verify).
    await refuseChanges(q, 'incident_event', [
      { op: 'UPDATE', trigger: 'incident_event_no_update', message: 'incident_event is append-only' },
      { op: 'DELETE', trigger: 'incident_event_no_delete', message: 'incident_event is append-only' },
    ]);
    await q.query(`CREATE TABLE "idempotency_key" (
      "incident_id" varchar NOT NULL,
      "key" varchar NOT NULL,
      "request_hash" varchar NOT NULL,
      "response" text NOT NULL,
      "created_at" varchar NOT NULL,
      PRIMARY KEY ("incident_id", "key")
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_key', 'incident_event', 'obligation', 'incident']) await q.query(`DROP TABLE "${t}"`);
  }
}
