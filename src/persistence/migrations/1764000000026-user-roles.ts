import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A user may hold more than one role (the owner who is also the admin needs one account): one row
 * per role held. Every existing user keeps the role they had. "user"."role" stays, as the primary
 * role (the most capable one held), for readers that know only one.
 */
export class UserRoles1764000000026 implements MigrationInterface {
  name = 'UserRoles1764000000026';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "user_role" (
      "user_id" TEXT NOT NULL REFERENCES "user" ("id"),
      "role" TEXT NOT NULL,
      PRIMARY KEY ("user_id", "role")
    )`);
    await q.query('INSERT INTO "user_role" ("user_id", "role") SELECT "id", "role" FROM "user"');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "user_role"');
  }
}
