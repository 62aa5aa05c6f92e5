import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { Incidents1764000000001 } from './migrations/1764000000001-incidents';
import { Reminders1764000000002 } from './migrations/1764000000002-reminders';
import { RosterLetters1764000000003 } from './migrations/1764000000003-roster-letters';
import { Accounts1764000000004 } from './migrations/1764000000004-accounts';
import { JobLease1764000000020 } from './migrations/1764000000020-job-lease';
import { AccessAudit1764000000021 } from './migrations/1764000000021-access-audit';
import { KeyedAudit1764000000022 } from './migrations/1764000000022-keyed-audit';

export const MIGRATIONS = [InitialSchema1764000000000, Incidents1764000000001, Reminders1764000000002, RosterLetters1764000000003, Accounts1764000000004,
  JobLease1764000000020, AccessAudit1764000000021, KeyedAudit1764000000022];

/** SQLite through the sqlite3 driver; the file and its folder are created on first start. */
export function dataSourceOptions(databasePath: string): DataSourceOptions {
  // The database will hold PHI: its folder is the owner's alone.
  if (databasePath !== ':memory:') mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
  return {
    type: 'sqlite',
    database: databasePath,
    enableWAL: databasePath !== ':memory:',
    busyTimeout: 5000,
    entities: [],
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
  };
}
