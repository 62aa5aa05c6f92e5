import { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from '../migration-dialect';

/** Accounts: users with a role, sessions and API tokens (both stored as SHA-256 of the secret), the one-time setup link. */
export class Accounts1764000000004 implements MigrationInterface {
  name = 'Accounts1764000000004';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "user" (
      "id" varchar PRIMARY KEY NOT NULL,
      ${isPostgres(q) ? '"email" varchar NOT NULL' : '"email" varchar NOT NULL UNIQUE COLLATE NOCASE'},
      "name" varchar NOT NULL,
      "role" varchar NOT NULL CHECK ("role" IN ('owner', 'privacy_officer', 'admin', 'auditor')),
      "password_hash" varchar NOT NULL,
      "disabled" integer NOT NULL DEFAULT 0,
      "created_at" varchar NOT NULL
    )`);
    // PostgreSQL has no NOCASE collation: one account per address, whatever its case, by an index on lower().
    if (isPostgres(q)) await q.query(`CREATE UNIQUE INDEX "user_email_nocase" ON "user" (lower("email"))`);
    await q.query(`CREATE TABLE "session" (
      "token_hash" varchar PRIMARY KEY NOT NULL,
      "user_id" varchar NOT NULL REFERENCES "user" ("id"),
      "csrf" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "expires_at" varchar NOT NULL
    )`);
    await q.query(`CREATE TABLE "api_token" (
      "id" varchar PRIMARY KEY NOT NULL,
      "token_hash" varchar NOT NULL UNIQUE,
      "user_id" varchar NOT NULL REFERENCES "user" ("id"),
      "label" varchar NOT NULL,
      "created_at" varchar NOT NULL,
      "last_used_at" varchar,
      "revoked" integer NOT NULL DEFAULT 0
    )`);
    await q.query(`CREATE TABLE "setup_token" ("id" integer PRIMARY KEY NOT NULL CHECK ("id" = 1), "token_hash" varchar NOT NULL, "created_at" varchar NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['setup_token', 'api_token', 'session', 'user']) await q.query(`DROP TABLE "${t}"`);
  }
}
