import { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from '../migration-dialect';

/**
 * An attachment's size in bytes can pass 2^31 (a 2 GB disk image, a mailbox export): on PostgreSQL
 * "attachment"."bytes" becomes BIGINT (INTEGER there is 4 bytes). SQLite's INTEGER already holds 8
 * bytes, so nothing changes there and an existing SQLite file keeps its schema text.
 */
export class AttachmentBytesBigint1764000000091 implements MigrationInterface {
  name = 'AttachmentBytesBigint1764000000091';

  async up(q: QueryRunner): Promise<void> {
    if (isPostgres(q)) await q.query('ALTER TABLE "attachment" ALTER COLUMN "bytes" TYPE BIGINT');
  }

  async down(q: QueryRunner): Promise<void> {
    if (isPostgres(q)) await q.query('ALTER TABLE "attachment" ALTER COLUMN "bytes" TYPE INTEGER');
  }
}
