// The integration suites (real HTTP on the Nest app, real SMTP) that run a second time on
// PostgreSQL in .ci/run and `npm run test:pg`: each test app gets a fresh database in a throw-away
// cluster (test/support/pg-database.ts). Left out: suites that open the SQLite file directly (to
// look or to tamper), spawn processes with DATABASE_PATH, or drive the browser; their PostgreSQL
// counterparts are the medium tests in persistence-engines.spec.ts.
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
];
