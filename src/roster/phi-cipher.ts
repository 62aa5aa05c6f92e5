import { Logger } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppConfig, ConfigError, PROJECT_ROOT } from '../config/config';

export const PHI_CIPHER = Symbol('PHI_CIPHER');

const VERSION = 'v1';

/**
 * Seals PHI at rest with AES-256-GCM: a fresh 12-byte IV per value, the 16-byte tag, and the
 * record's identity as associated data, so a sealed value moved to another row does not open.
 * Identity comparisons (duplicates) use an HMAC under a key derived from the same master key,
 * so the database holds neither names nor their plain hashes.
 */
export class PhiCipher {
  private readonly sealKey: Buffer;
  private readonly hmacKey: Buffer;

  constructor(master: Buffer) {
    if (master.length !== 32) throw new Error('the PHI key must be 32 bytes');
    this.sealKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'breachflow phi seal v1', 32));
    this.hmacKey = Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'breachflow phi identity v1', 32));
  }

  seal(value: unknown, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open<T>(sealed: string, aad: string): T {
    if (!sealed.startsWith(`${VERSION}.`)) throw new Error('unknown sealed format');
    const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.sealKey, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(12, 28));
    // GCM is a stream cipher: final() adds no bytes, it checks the tag (no Buffer.concat of its empty answer).
    const body = decipher.update(raw.subarray(28));
    decipher.final();
    return JSON.parse(body.toString('utf8')) as T;
  }

  /** A keyed digest for finding duplicates without storing what was compared. */
  identity(text: string): string {
    return createHmac('sha256', this.hmacKey).update(text).digest('base64url');
  }
}

/** The key file: as configured, else beside the database (in data/ for an in-memory one). */
export function phiKeyPath(config: Pick<AppConfig, 'phiKeyFile' | 'databasePath'>): string {
  if (config.phiKeyFile) return config.phiKeyFile;
  return join(config.databasePath === ':memory:' ? join(PROJECT_ROOT, 'data') : dirname(config.databasePath), 'phi.key');
}

/**
 * The master key: PHI_KEY from the environment, else the key file (data/phi.key), created with
 * owner-only permissions on first start. A key file others can read is refused.
 */
export function loadPhiCipher(config: AppConfig): { cipher: PhiCipher; source: string } {
  if (config.phiKey) return { cipher: new PhiCipher(config.phiKey), source: 'PHI_KEY' };
  const path = phiKeyPath(config);
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    if (!config.phiKeyFile && config.databasePath !== ':memory:') {
      new Logger('PhiKey').warn(`the PHI key was created at ${path}, beside the database: a backup of that folder carries the key with the data it unlocks. `
        + 'Keep the key elsewhere (PHI_KEY_FILE=/path/outside/the/data, or PHI_KEY) and back it up apart from the data; see README "Security".');
    }
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    throw new ConfigError([`${path}: the PHI key file must be readable by its owner only (chmod 600 ${path})`]);
  }
  const text = readFileSync(path, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (key.length !== 32) throw new ConfigError([`${path}: not a PHI key (32 bytes as base64 expected)`]);
  return { cipher: new PhiCipher(key), source: path };
}
