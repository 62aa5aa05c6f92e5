import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { primaryOf } from '../persistence/sqlite-reader';
import { AppConfig, ConfigError, PROJECT_ROOT } from '../config/config';
import { AuditChainRepository } from './audit-chain.repository';
import { sha256 } from './canonical';
import { ChainName } from './chain-name';

export type { ChainName } from './chain-name';

const chains = new AuditChainRepository();

/**
 * The audit trail's key: the chains are HMAC-SHA256 under it, so someone holding the database and
 * the code, but not the key, cannot recompute a chain after a forged or removed event. It lives in
 * a file that is not the database (AUDIT_KEY_FILE; by default audit.key beside the database,
 * created 0600), and should be kept apart from the data's backups.
 */

const keys = new WeakMap<DataSource, Buffer>();

export function auditKeyPath(config: Pick<AppConfig, 'auditKeyFile' | 'databasePath'>): string {
  if (config.auditKeyFile) return config.auditKeyFile;
  return join(config.databasePath === ':memory:' ? join(PROJECT_ROOT, 'data') : dirname(config.databasePath), 'audit.key');
}

/** The key from its file, created with owner-only permissions on first start; a file others can read is refused. */
export function loadAuditKey(config: Pick<AppConfig, 'auditKeyFile' | 'databasePath'>): { key: Buffer; source: string } {
  if (config.databasePath === ':memory:' && !config.auditKeyFile) return { key: randomBytes(32), source: '(in memory)' };
  const path = auditKeyPath(config);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new ConfigError([`${path}: the audit key file must be readable by its owner only (chmod 600 ${path})`]);
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError([`${path}: not an audit key (32 bytes as base64 expected)`]);
  return { key, source: path };
}

/** Binds the key to one database connection (each app, CLI command or test has its own). */
export function registerAuditKey(db: DataSource, key: Buffer): void {
  keys.set(db, key);
}

export function auditKeyOf(m: EntityManager): Buffer {
  const key = keys.get(primaryOf(m.connection));
  if (!key) throw new Error('the audit key is not loaded for this database connection');
  return key;
}

/**
 * The hash of one event's canonical text. Events from before the chain was keyed (their seq is below
 * the chain's keyed_from) keep their plain SHA-256; every later one is an HMAC under the key.
 */
export function linkHash(key: Buffer, keyed: boolean, text: string): string {
  return keyed ? createHmac('sha256', key).update(text).digest('hex') : sha256(text);
}

/** From which seq a chain is keyed (1 for a database created keyed). */
export async function keyedFrom(m: EntityManager, chain: ChainName): Promise<number> {
  return (await chains.keyedFrom(m, chain)) ?? 1;
}

/** A MAC under the audit key of a checkpoint's canonical text. */
export function macOf(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(`breachflow audit checkpoint\n${text}`).digest('hex');
}
