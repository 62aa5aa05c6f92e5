import { createHash, randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import type { PhiCipher } from '../roster/phi-cipher';
import { primaryOf } from '../persistence/sqlite-reader';

/**
 * Free text a user types (an incident's summary, notes, reasons, evidence, descriptions) may hold
 * PHI, so it is sealed at rest like the roster: every string under one of FREE_TEXT_KEYS, at any
 * depth of an event's payload, an incident's stored state or a stored response, is kept as
 *
 *   sealed:v1:<commitment>:<AES-256-GCM of { salt, text } under the PHI key>
 *
 * where the commitment is SHA-256 of the salt and the text. The audit chain hashes the commitment
 * only (see `commitmentsOnly`), never the ciphertext or the text, so a redaction, which replaces
 * the sealed text with a tombstone keeping the same commitment,
 *
 *   redacted:v1:<commitment>:<base64url of { by, at, why }>
 *
 * leaves every link of the chain as it was: `audit verify` still passes after it.
 */

/** The closed list of keys whose string values are free text (what a person typed). */
export const FREE_TEXT_KEYS: ReadonlySet<string> = new Set([
  'summary', 'note', 'reason', 'holdReason', 'basis', 'description', 'evidence', 'finding', 'official',
]);

export const REDACTION_REASONS = ['phi_typed_in_error', 'wrong_incident', 'individual_request', 'counsel_advice'] as const;
export type RedactionReason = (typeof REDACTION_REASONS)[number];
export const REDACTION_REASON_LABELS: Record<RedactionReason, string> = {
  phi_typed_in_error: 'patient information typed in error',
  wrong_incident: 'entered on the wrong incident',
  individual_request: 'at the individual\'s request',
  counsel_advice: 'on counsel\'s advice',
};

export interface Tombstone { by: string; at: string; why: RedactionReason }

const SEALED = 'sealed:v1:';
const REDACTED = 'redacted:v1:';

/** The associated data of an incident's free text: a sealed value moved to another incident does not open. */
export function freeTextAad(incidentId: string): string {
  return `free-text/${incidentId}`;
}

const ciphers = new WeakMap<DataSource, PhiCipher>();

/** Binds the PHI cipher to one database connection, for the audit trail's appends and reads. */
export function registerFreeTextCipher(db: DataSource, cipher: PhiCipher): void {
  ciphers.set(db, cipher);
}

export function freeTextCipherOf(m: EntityManager): PhiCipher {
  const cipher = ciphers.get(primaryOf(m.connection));
  if (!cipher) throw new Error('the PHI cipher is not loaded for this database connection: free text cannot be sealed');
  return cipher;
}

export function hasFreeTextCipher(m: EntityManager): boolean {
  return ciphers.has(primaryOf(m.connection));
}

function commitmentOf(salt: string, text: string): string {
  return createHash('sha256').update(`${salt}\n${text}`).digest('hex');
}

export function isSealed(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(SEALED);
}

export function isRedacted(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith(REDACTED);
}

/** The commitment inside a sealed value or a tombstone. */
export function commitmentIn(v: string): string {
  const rest = v.slice(v.startsWith(SEALED) ? SEALED.length : REDACTED.length);
  return rest.slice(0, rest.indexOf(':'));
}

export function sealText(text: string, cipher: PhiCipher, aad: string): string {
  const salt = randomBytes(16).toString('base64');
  return `${SEALED}${commitmentOf(salt, text)}:${cipher.seal({ s: salt, t: text }, aad)}`;
}

function openSealed(v: string, cipher: PhiCipher, aad: string): { salt: string; text: string } {
  const rest = v.slice(SEALED.length);
  const { s, t } = cipher.open<{ s: string; t: string }>(rest.slice(rest.indexOf(':') + 1), aad);
  return { salt: s, text: t };
}

export function tombstoneOf(v: string): Tombstone {
  const rest = v.slice(REDACTED.length);
  return JSON.parse(Buffer.from(rest.slice(rest.indexOf(':') + 1), 'base64url').toString('utf8')) as Tombstone;
}

/** What a reader sees in place of redacted text: who removed it, when and why (never what it said). */
export function tombstoneText(t: Tombstone): string {
  return `[redacted on ${t.at.slice(0, 10)} by ${t.by}: ${REDACTION_REASON_LABELS[t.why] ?? t.why}]`;
}

export function redactSealed(v: string, t: Tombstone): string {
  return `${REDACTED}${commitmentIn(v)}:${Buffer.from(JSON.stringify(t)).toString('base64url')}`;
}

/** Applies `leaf` to every free-text string (by key) at any depth; everything else is copied as it is. */
function mapFreeText(value: unknown, leaf: (s: string) => string, underFreeKey = false): unknown {
  if (typeof value === 'string') return underFreeKey ? leaf(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = mapFreeText(value[i], leaf, underFreeKey);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) put(out, k, mapFreeText((value as Record<string, unknown>)[k], leaf, FREE_TEXT_KEYS.has(k)));
  return out;
}

/**
 * `out[k] = v` as Object.fromEntries does it (an own property even for "__proto__", which a
 * parsed payload may carry). The walkers run over every stored state on every change, so they
 * loop instead of building entry arrays (measured: a tenth of a transition's CPU before).
 */
function put(out: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  else out[k] = v;
}

/**
 * What a stored value's sealed strings opened to, text to sealed form: a change that keeps a text
 * seals it as it was (same salt, same commitment) instead of sealing it again. Held for one change
 * only, never cached.
 */
export type SealedTexts = Map<string, string>;

/**
 * A copy with every free-text string sealed (values already sealed or redacted are kept); a text
 * found in `kept` (what the stored value it came from opened to) takes its sealed form from there.
 */
export function sealFreeText<T>(value: T, cipher: PhiCipher, aad: string, kept?: SealedTexts): T {
  return mapFreeText(value, (s) => (isSealed(s) || isRedacted(s) ? s : (kept?.get(s) ?? sealText(s, cipher, aad)))) as T;
}

/**
 * A copy with every sealed string opened, and every tombstone shown as who redacted it, when and
 * why; with `opened`, each sealed string's text is noted there (for sealFreeText's `kept`).
 */
export function openFreeText<T>(value: T, cipher: PhiCipher, aad: string, opened?: SealedTexts): T {
  return mapStrings(value, (s) => {
    try {
      if (isSealed(s)) {
        const { text } = openSealed(s, cipher, aad);
        opened?.set(text, s);
        return text;
      }
      if (isRedacted(s)) return tombstoneText(tombstoneOf(s));
    } catch {
      return '[sealed text that does not open under this PHI key]';
    }
    return s;
  }) as T;
}

/** Free text replaced by a placeholder, for rows that are derived indexes and never read back (obligation rows). */
export function withoutFreeText<T>(value: T): T {
  return mapFreeText(value, () => '[sealed: see the incident\'s record]') as T;
}

/** Every string, wherever it is (sealed values are recognised by their prefix). */
function mapStrings(value: unknown, leaf: (s: string) => string): unknown {
  if (typeof value === 'string') return leaf(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = mapStrings(value[i], leaf);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) put(out, k, mapStrings((value as Record<string, unknown>)[k], leaf));
  return out;
}

/**
 * Where a stored value held free text, and what lets a reader without the PHI key recompute the
 * commitment the audit chain hashed: the salt (absent for a tombstone, whose text is gone).
 */
export interface FreeTextProof { path: (string | number)[]; commitment: string; salt?: string }

/**
 * A stored value with its free text opened for a reader (a tombstone shows who redacted it and
 * why), and one proof per sealed value, so an offline verifier can put the commitment back in
 * its place and recompute the chain's hash (the dossier's trail, docs/dossier.md).
 */
export function openWithProofs(value: unknown, cipher: PhiCipher, aad: string, root: (string | number)[]): { value: unknown; proofs: FreeTextProof[] } {
  const proofs: FreeTextProof[] = [];
  const walk = (v: unknown, path: (string | number)[]): unknown => {
    if (typeof v === 'string') {
      if (isRedacted(v)) {
        proofs.push({ path, commitment: commitmentIn(v) });
        return tombstoneText(tombstoneOf(v));
      }
      if (!isSealed(v)) return v;
      const { salt, text } = openSealed(v, cipher, aad);
      proofs.push({ path, commitment: commitmentIn(v), salt });
      return text;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, i]));
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x, [...path, k])]));
  };
  return { value: walk(value, root), proofs };
}

/** Whether `text` with `salt` is what `commitment` committed to. */
export function commits(commitment: string, salt: string, text: string): boolean {
  return commitmentOf(salt, text) === commitment;
}

/** The form the chain hashes for a sealed or redacted value (what commitmentsOnly writes). */
export function committedForm(commitment: string): string {
  return `sealed:${commitment}`;
}

/** What the audit chain hashes: a sealed value and its tombstone both stand for their commitment only. */
export function commitmentsOnly(value: unknown): unknown {
  return mapStrings(value, (s) => (isSealed(s) || isRedacted(s) ? committedForm(commitmentIn(s)) : s));
}

/** The first sealed value whose text does not match its commitment (a swapped ciphertext), or null. */
export function brokenCommitment(value: unknown, cipher: PhiCipher, aad: string): string | null {
  let broken: string | null = null;
  mapStrings(value, (s) => {
    if (broken || !isSealed(s)) return s;
    try {
      const { salt, text } = openSealed(s, cipher, aad);
      if (commitmentOf(salt, text) !== commitmentIn(s)) broken = 'its sealed text does not match the commitment the chain holds';
    } catch {
      broken = 'its sealed text does not open under the PHI key for this incident';
    }
    return s;
  });
  return broken;
}

/**
 * Replaces, anywhere in `value`, each sealed string whose text equals `text` with a tombstone.
 * Answers the new value and how many were replaced.
 */
export function redactMatching(value: unknown, text: string, t: Tombstone, cipher: PhiCipher, aad: string): { value: unknown; count: number } {
  let count = 0;
  const next = mapStrings(value, (s) => {
    if (!isSealed(s)) return s;
    try {
      if (openSealed(s, cipher, aad).text !== text) return s;
    } catch {
      return s;
    }
    count++;
    return redactSealed(s, t);
  });
  return { value: next, count };
}

/** The string at a dot path (`note`, `factors.nature.evidence`), or undefined. */
export function atPath(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Every sealed string re-sealed under another key with the same salt and commitment (those that already open under it are kept). */
export function resealFreeText(value: unknown, from: PhiCipher, to: PhiCipher, aad: string): { value: unknown; count: number } {
  let count = 0;
  const next = mapStrings(value, (s) => {
    if (!isSealed(s)) return s;
    try {
      openSealed(s, to, aad);
      return s;
    } catch {
      const { salt, text } = openSealed(s, from, aad);
      count++;
      return `${SEALED}${commitmentIn(s)}:${to.seal({ s: salt, t: text }, aad)}`;
    }
  });
  return { value: next, count };
}

/** The text of a sealed value (for a redaction: which text to find elsewhere). */
export function sealedText(v: string, cipher: PhiCipher, aad: string): string {
  return openSealed(v, cipher, aad).text;
}
