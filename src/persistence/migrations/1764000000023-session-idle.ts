import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sessions remember when they were last used: one idle for 30 minutes ends (besides the 12-hour cap). */
export class SessionIdle1764000000023 implements MigrationInterface {
  name = 'SessionIdle1764000000023';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "session" ADD COLUMN "last_seen_at" varchar`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "session" DROP COLUMN "last_seen_at"`);
  }
}
