import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention job: its lease (one row: which process purges, until when) and what it removed
 * (a letter batch's files, a patient email's .eml copy), with the SHA-256 of each file it removed,
 * so what 164.530(j) asks to keep survives the copies.
 */
export class Retention1764000000025 implements MigrationInterface {
  name = 'Retention1764000000025';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "retention_lease" ("id" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "expires_at" TEXT NOT NULL)`);
    await q.query(`CREATE TABLE "retention_purge" (
      "kind" TEXT NOT NULL,
      "ref" TEXT NOT NULL,
      "incident_id" TEXT NOT NULL,
      "purged_at" TEXT NOT NULL,
      "detail" TEXT NOT NULL,
      PRIMARY KEY ("kind", "ref")
    )`);
    await q.query('CREATE INDEX "retention_purge_incident" ON "retention_purge" ("incident_id")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "retention_purge"');
    await q.query('DROP TABLE "retention_lease"');
  }
}
