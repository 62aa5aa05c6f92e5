import { MigrationInterface, QueryRunner } from 'typeorm';

const GENESIS = '0'.repeat(64);

/**
 * Each audit chain's head (last seq and its hash) in one row, advanced by `UPDATE ... RETURNING` in
 * the transaction that appends: the row lock serialises appends, so two processes on PostgreSQL
 * can never take the same seq (reading "last + 1" from the events could).
 */
export class AuditChainHead1764000000027 implements MigrationInterface {
  name = 'AuditChainHead1764000000027';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "audit_chain_head" ("chain" TEXT PRIMARY KEY, "seq" BIGINT NOT NULL, "hash" TEXT NOT NULL)`);
    for (const chain of ['incident_event', 'access_event']) {
      await q.query(`INSERT INTO "audit_chain_head" ("chain", "seq", "hash")
        SELECT '${chain}', COALESCE(MAX("seq"), 0), COALESCE((SELECT "hash" FROM "${chain}" ORDER BY "seq" DESC LIMIT 1), '${GENESIS}') FROM "${chain}"`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "audit_chain_head"');
  }
}
