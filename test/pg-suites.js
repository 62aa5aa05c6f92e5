// The integration suites (real HTTP on the Nest app, real SMTP) that run a second time on
// PostgreSQL in .ci/run and `npm run test:pg`: each test app gets a fresh database in a throw-away
// cluster (test/support/pg-database.ts). Suites that look at or tamper with the database outside
// the app do it through test/support/db.ts (pg or the SQLite file, whichever the app runs on; a
// search for plaintext greps a pg_dump there), and children get DATABASE_URL from dbEnv. Left out:
// suites that still open the SQLite file directly, spawn processes with DATABASE_PATH only, or
// drive the browser; their PostgreSQL counterparts are the medium tests in persistence-engines.spec.ts.
module.exports = [
  'test/persistence-engines.spec.ts',
  'test/multi-instance.spec.ts',
  'test/access-audit.spec.ts',
  'test/api-addressing.spec.ts',
  'test/claim.spec.ts',
  'test/dates-holds-proofs.spec.ts',
  'test/dossier.spec.ts',
  'test/further-mailing.spec.ts',
  'test/incidents-e2e.spec.ts',
  'test/multi-role.spec.ts',
  'test/notice-content-api.spec.ts',
  'test/notify-smtp.spec.ts',
  'test/openapi-answers.spec.ts',
  'test/openapi-conformance.spec.ts',
  'test/openapi.spec.ts',
  'test/reminders-eml.spec.ts',
  'test/reminders-smtp.spec.ts',
  'test/security-transport.spec.ts',
  'test/state-laws-web.spec.ts',
  // Checks through test/support/db.ts (issue 16's leftovers):
  'test/retention.spec.ts',
  'test/letters-mailing-cost.spec.ts',
  'test/letter-batch-instances.spec.ts',
  'test/roster-concurrency.spec.ts',
  'test/setup-link.spec.ts',
  'test/concurrent-changes.spec.ts',
  'test/attachments.spec.ts',
  'test/auth.spec.ts',
  'test/security-accounts.spec.ts',
  'test/audit-chain-head.spec.ts',
  'test/audit-checkpoint.spec.ts',
  'test/audit-export.spec.ts',
  'test/free-text-rekey.spec.ts',
  'test/free-text-sealing.spec.ts',
];
