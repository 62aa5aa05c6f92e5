import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first schema: instance facts the server needs before any feature table exists (which rule
 * pack versions this database has planned with, so a pack change is visible).
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "rule_pack_version" (
      "version" varchar PRIMARY KEY NOT NULL,
      "first_loaded_at" varchar NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "rule_pack_version"`);
  }
}
