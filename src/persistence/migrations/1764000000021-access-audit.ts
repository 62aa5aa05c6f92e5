import { MigrationInterface, QueryRunner } from 'typeorm';
import { refuseChanges } from '../migration-dialect';

/**
 * The practice-wide audit trail (who logged in, read or exported PHI, changed users, tokens or
 * settings), hash-chained like the incidents' trail; API tokens gain who made and revoked them,
 * an expiry, and the time they were last used.
 */
export class AccessAudit1764000000021 implements MigrationInterface {
  name = 'AccessAudit1764000000021';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "access_event" (
      "seq" integer PRIMARY KEY NOT NULL,
      "type" varchar NOT NULL,
      "actor" varchar NOT NULL,
      "at" varchar NOT NULL,
      "subject" varchar,
      "detail" text NOT NULL,
      "prev_hash" varchar NOT NULL,
      "hash" varchar NOT NULL
    )`);
    await q.query(`CREATE INDEX "access_event_type" ON "access_event" ("type", "seq")`);
    await refuseChanges(q, 'access_event', [
      { op: 'UPDATE', trigger: 'access_event_no_update', message: 'access_event is append-only' },
      { op: 'DELETE', trigger: 'access_event_no_delete', message: 'access_event is append-only' },
    ]);
    await q.query(`ALTER TABLE "api_token" ADD COLUMN "expires_at" varchar`);
    await q.query(`ALTER TABLE "api_token" ADD COLUMN "created_by" varchar`);
    await q.query(`ALTER TABLE "api_token" ADD COLUMN "revoked_by" varchar`);
    await q.query(`ALTER TABLE "api_token" ADD COLUMN "revoked_at" varchar`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const c of ['revoked_at', 'revoked_by', 'created_by', 'expires_at']) await q.query(`ALTER TABLE "api_token" DROP COLUMN "${c}"`);
    await q.query(`DROP TABLE "access_event"`);
  }
}
