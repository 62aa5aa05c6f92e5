import { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../src/app';
import { FixedClock } from '../../src/clock/clock';
import { AppConfig, loadConfig } from '../../src/config/config';
import { shippedPack } from '../factories/facts';

export interface TestApp {
  app: INestApplication;
  clock: FixedClock;
  config: AppConfig;
  dir: string;
  close(): Promise<void>;
}

/** The real Nest app on a real SQLite file in a fresh temporary folder, with a fixed clock. */
export async function startTestApp(now = new Date('2026-11-23T15:00:00Z'), overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'breachflow-test-'));
  const config: AppConfig = { ...loadConfig({}), port: 0, databasePath: join(dir, 'data', 'breachflow.sqlite'), outboxDir: join(dir, 'outbox'), lettersDir: join(dir, 'data', 'letters'), phiKeyFile: join(dir, 'data', 'phi.key'), templatesOverrideDir: join(dir, 'templates'), reminderPollSeconds: 0, ...overrides };
  const clock = new FixedClock(now);
  const app = await createApp({ config, rulePack: shippedPack, clock, logger: false });
  await app.init();
  return {
    app,
    clock,
    config,
    dir,
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
