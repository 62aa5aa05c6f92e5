import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
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
import { LetterFiles1764000000040 } from './migrations/1764000000040-letter-files';
import { Attachments1764000000060 } from './migrations/1764000000060-attachments';
import { IncidentReferenceCounter1764000000070 } from './migrations/1764000000070-incident-reference-counter';
import { OutboxIncident1764000000071 } from './migrations/1764000000071-outbox-incident';
import { RetentionJobLease1764000000090 } from './migrations/1764000000090-retention-job-lease';
import { AttachmentBytesBigint1764000000091 } from './migrations/1764000000091-attachment-bytes-bigint';

export const MIGRATIONS = [InitialSchema1764000000000, Incidents1764000000001, Reminders1764000000002, RosterLetters1764000000003, Accounts1764000000004,
  JobLease1764000000020, AccessAudit1764000000021, KeyedAudit1764000000022, SessionIdle1764000000023, RedactableText1764000000024, Retention1764000000025, UserRoles1764000000026, AuditChainHead1764000000027,
  LetterFiles1764000000040, Attachments1764000000060, IncidentReferenceCounter1764000000070, OutboxIncident1764000000071,
  RetentionJobLease1764000000090, AttachmentBytesBigint1764000000091];

/** Where the data lives: DATABASE_URL (PostgreSQL, shared by every instance) or the SQLite file. */
export interface DatabaseTarget {
  databasePath: string;
  databaseUrl?: string | null;
  databasePoolSize?: number;
}

/**
 * PostgreSQL through `pg` with a pool when DATABASE_URL is set; otherwise SQLite through the sqlite3
 * driver, the file and its folder created on first start. A bare path is the SQLite file.
 */
export function dataSourceOptions(target: string | DatabaseTarget): DataSourceOptions {
  const t: DatabaseTarget = typeof target === 'string' ? { databasePath: target } : target;
  return t.databaseUrl ? postgresOptions(t.databaseUrl, t.databasePoolSize ?? 10) : sqliteOptions(t.databasePath);
}

function postgresOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    // The pool: each unit of work takes its own connection and transaction (TransactionRunner).
    poolSize,
    extra: { max: poolSize, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000 },
    entities: [],
    migrations: MIGRATIONS,
    // Run by openDataSource under an advisory lock: instances starting at once take turns.
    migrationsRun: false,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: ['error'],
  };
}

/** Any number (fixed) naming breachflow's migration lock among the database's advisory locks. */
const MIGRATION_LOCK = 1764000000;

/**
 * Opens the data source and brings its schema up to date. On PostgreSQL several instances may start
 * together: the migrations run under a session advisory lock, so the second waits for the first and
 * then finds nothing left to run (TypeORM takes no lock of its own).
 */
export async function openDataSource(options: DataSourceOptions): Promise<DataSource> {
  const db = await new DataSource(options).initialize();
  if (options.type !== 'postgres') return db;
  const lock = db.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await db.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.release();
  }
  return db;
}

function sqliteOptions(databasePath: string): DataSourceOptions {
  // The database will hold PHI: its folder is the owner's alone.
  if (databasePath !== ':memory:') {
    mkdirSync(dirname(databasePath), { recursive: true, mode: 0o700 });
    ownerOnly(databasePath);
  }
  return {
    type: 'sqlite',
    database: databasePath,
    driver: quietSqlite3(),
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
 * sqlite3 without its "verbose" mode. TypeORM calls `verbose()` on the driver it loads, which wraps
 * every Database and Statement method to capture a stack and `util.inspect` every argument (each
 * incident's whole stored state, on every save) only to lengthen error stacks: measured, a fifth of
 * the CPU of a transition. Errors keep their message and code; only that longer stack is gone.
 */
let quiet: Record<string, unknown> | undefined;

/** Loaded on the first SQLite data source only: on PostgreSQL the native module is never loaded. */
function quietSqlite3(): Record<string, unknown> {
  if (!quiet) {
    const sqlite3 = require('sqlite3') as typeof import('sqlite3');
    const driver: Record<string, unknown> = { ...sqlite3, verbose: () => driver };
    quiet = driver;
  }
  return quiet;
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
