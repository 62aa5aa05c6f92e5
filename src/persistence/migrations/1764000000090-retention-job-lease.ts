import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One lease mechanism: the retention pass now holds the job lease `retention:purge` in "job_lease"
 * (src/jobs/lease.service.ts), so its own one-row "retention_lease" table goes. A pass running
 * during the upgrade loses nothing: the next pass takes the job lease and removes whatever is still
 * due (each removal is recorded before its files go).
 */
export class RetentionJobLease1764000000090 implements MigrationInterface {
  name = 'RetentionJobLease1764000000090';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "retention_lease"');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "retention_lease" ("id" TEXT PRIMARY KEY, "owner" TEXT NOT NULL, "expires_at" TEXT NOT NULL)`);
  }
}
