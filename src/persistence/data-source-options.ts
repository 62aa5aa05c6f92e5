import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
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
import { SessionIdle1764000000023 } from './migrations/1764000000023-session-idle';
import { RedactableText1764000000024 } from './migrations/1764000000024-redactable-text';
import { Retention1764000000025 } from './migrations/1764000000025-retention';
import { UserRoles1764000000026 } from './migrations/1764000000026-user-roles';
import { AuditChainHead1764000000027 } from './migrations/1764000000027-audit-chain-head';
import { Attachments1764000000060 } from './migrations/1764000000060-attachments';

export const MIGRATIONS = [InitialSchema1764000000000, Incidents1764000000001, Reminders1764000000002, RosterLetters1764000000003, Accounts1764000000004,
  JobLease1764000000020, AccessAudit1764000000021, KeyedAudit1764000000022, SessionIdle1764000000023, RedactableText1764000000024, Retention1764000000025, UserRoles1764000000026, AuditChainHead1764000000027, Attachments1764000000060];

/** SQLite through the sqlite3 driver; the file and its folder are created on first start. */
export function dataSourceOptions(databasePath: string): DataSourceOptions {
  // The database will hold PHI: its folder is the owner's alone.
  if (databasePath !== ':memory:') {
    mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
    ownerOnly(databasePath);
  }
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

/**
 * The database file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the
 * database file's permissions), and an existing one, or its WAL and SHM, readable by others is
 * narrowed to 0600: they hold sealed PHI, account hashes and the audit trail.
 */
function ownerOnly(databasePath: string): void {
  if (!existsSync(databasePath)) closeSync(openSync(databasePath, 'a', 0o600));
  for (const path of [databasePath, `${databasePath}-wal`, `${databasePath}-shm`]) {
    if (existsSync(path) && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  }
}
