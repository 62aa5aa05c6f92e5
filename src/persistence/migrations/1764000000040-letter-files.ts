import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A letter batch's PDF files as rows, so any instance with free workers renders the next one: a
 * file is claimed (owner, claim token, lease expiry renewed while it renders), and one whose
 * renderer stopped is taken over once its lease has expired. `files_planned` marks batches cut
 * into such rows (NULL: a batch from before, rendered in one piece under a job lease); `notice`
 * the letter's model (no PHI: the practice's text and dates) fixed when the batch was created, so
 * every instance renders the same letter.
 */
export class LetterFiles1764000000040 implements MigrationInterface {
  name = 'LetterFiles1764000000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "letter_file" (
      "id" TEXT PRIMARY KEY NOT NULL,
      "batch_id" TEXT NOT NULL REFERENCES "letter_batch" ("id"),
      "incident_id" TEXT NOT NULL,
      "no" INTEGER NOT NULL,
      "first_seq" INTEGER NOT NULL,
      "last_seq" INTEGER NOT NULL,
      "status" TEXT NOT NULL,
      "owner" TEXT,
      "claim" TEXT,
      "lease_expires_at" TEXT,
      "attempts" INTEGER NOT NULL,
      "letters" INTEGER NOT NULL,
      "pages" INTEGER NOT NULL,
      UNIQUE ("batch_id", "no")
    )`);
    await q.query(`CREATE INDEX "letter_file_claimable" ON "letter_file" ("status", "lease_expires_at")`);
    await q.query(`ALTER TABLE "letter_batch" ADD COLUMN "files_planned" INTEGER`);
    await q.query(`ALTER TABLE "letter_batch" ADD COLUMN "notice" TEXT`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "letter_batch" DROP COLUMN "notice"`);
    await q.query(`ALTER TABLE "letter_batch" DROP COLUMN "files_planned"`);
    await q.query(`DROP TABLE "letter_file"`);
  }
}
