import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { FixedClock } from '../../src/clock/clock';
import { AppConfig, loadConfig } from '../../src/config/config';
import { shippedPack } from '../factories/facts';
import { Role, ROLES } from '../../src/auth/actor';
import { UsersService } from '../../src/auth/users.service';
import { createTestDatabase } from './pg-database';

export const TEST_USERS: Record<Role, { name: string; email: string }> = {
  owner: { name: 'Olive Owner', email: 'owner@clinic.test' },
  privacy_officer: { name: 'Pat Privacy', email: 'privacy@clinic.test' },
  admin: { name: 'Ada Admin', email: 'admin@clinic.test' },
  auditor: { name: 'Audrey Auditor', email: 'auditor@clinic.test' },
};
export const TEST_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: INestApplication;
  /** The Authorization header of a seeded user of this role (an API token). */
  as(role: Role): Record<string, string>;
  /** Each seeded user's id. */
  userIds: Record<Role, string>;
  clock: FixedClock;
  config: AppConfig;
  dir: string;
  close(): Promise<void>;
}

/**
 * The real Nest app on a real SQLite file in a fresh temporary folder, with a fixed clock; when a
 * PostgreSQL test cluster is given (BF_TEST_PG_URL or DATABASE_URL, see pg-database.ts), on a fresh
 * database of its own there instead (unless the overrides name a database).
 */
export async function startTestApp(now = new Date('2026-11-23T15:00:00Z'), overrides: Partial<AppConfig> = {}, options: { seedUsers?: boolean } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'breachflow-test-'));
  const config: AppConfig = { ...loadConfig({}), port: 0, databasePath: join(dir, 'data', 'breachflow.sqlite'), outboxDir: join(dir, 'outbox'), lettersDir: join(dir, 'data', 'letters'), attachmentsDir: join(dir, 'data', 'attachments'), templatesOverrideDir: join(dir, 'templates'), reminderPollSeconds: 0, ...overrides };
  const pg = overrides.databaseUrl === undefined && !overrides.databasePath ? await createTestDatabase() : null;
  if (pg) config.databaseUrl = pg.url;
  const clock = new FixedClock(now);
  const app = await createApp({ config, rulePack: shippedPack, clock, logger: false });
  await app.init();
  const users = app.get(UsersService);
  const tokens = {} as Record<Role, string>;
  const userIds = {} as Record<Role, string>;
  for (const role of options.seedUsers === false ? [] : ROLES) {
    const user = await users.create({ ...TEST_USERS[role], role, password: TEST_PASSWORD });
    userIds[role] = user.id;
    tokens[role] = (await users.createToken(user.id, 'tests', 365)).token; // the longest a token lives: tests move the clock by months
  }
  return {
    app,
    as: (role) => ({ Authorization: `Bearer ${tokens[role]}` }),
    userIds,
    clock,
    config,
    dir,
    async close() {
      await app.close();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
