import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leases of long jobs (a roster import, a letter batch, one outbox message being sent): the owner
 * (random per process), a token per acquisition, and an expiry the owner renews. Recovery takes over
 * only expired leases. Work left running by a version without leases gets an already expired lease,
 * so the first recovery after the upgrade repairs it exactly as it repairs a crashed job.
 */
export class JobLease1764000000020 implements MigrationInterface {
  name = 'JobLease1764000000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "job_lease" (
      "job" varchar PRIMARY KEY NOT NULL,
      "kind" varchar NOT NULL,
      "ref" varchar NOT NULL,
      "owner" varchar NOT NULL,
      "token" varchar NOT NULL,
      "expires_at" varchar NOT NULL,
      "acquired_at" varchar NOT NULL
    )`);
    await q.query(`CREATE INDEX "job_lease_kind_expiry" ON "job_lease" ("kind", "expires_at")`);
    const dead = `'(before leases)', 'legacy', '1970-01-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z'`;
    await q.query(`INSERT INTO "job_lease" ("job", "kind", "ref", "owner", "token", "expires_at", "acquired_at")
      SELECT 'roster_import:' || "id", 'roster_import', "id", ${dead} FROM "roster_import" WHERE "status" = 'running'`);
    await q.query(`INSERT INTO "job_lease" ("job", "kind", "ref", "owner", "token", "expires_at", "acquired_at")
      SELECT 'letter_batch:' || "id", 'letter_batch', "id", ${dead} FROM "letter_batch" WHERE "status" = 'running'`);
    await q.query(`INSERT INTO "job_lease" ("job", "kind", "ref", "owner", "token", "expires_at", "acquired_at")
      SELECT 'outbox:' || "id", 'outbox', CAST("id" AS varchar), ${dead} FROM "outbox" WHERE "status" = 'sending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "job_lease"`);
  }
}
