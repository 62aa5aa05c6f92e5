import { EntityManager } from 'typeorm';
import { auditKeyOf, keyedFrom, linkHash } from './audit-key';
import { canonicalJson } from './canonical';
import { ChainMark, GENESIS_HASH } from './audit-trail';
import { AccessEventRepository, AccessEventRow } from './access-event.repository';
import { AccessEvent, AccessEventInput, AccessEventType } from './access-event.types';
import { AuditChainHeadRepository } from './audit-chain-head.repository';

const chainHeads = new AuditChainHeadRepository();
const accessEvents = new AccessEventRepository();

/**
 * The practice-wide trail: who logged in (or failed to), read or exported PHI, and who changed
 * users, API tokens or settings. Each event says who, what and when, and names what was touched by
 * its number or id, never the PHI itself. Hash-chained like the incidents' trail.
 */

export { ACCESS_EVENT_TYPES } from './access-event.types';
export type { AccessEvent, AccessEventInput, AccessEventType } from './access-event.types';

function hashOf(e: Omit<AccessEvent, 'hash'>, key: Buffer, keyed: boolean): string {
  return linkHash(key, keyed, canonicalJson({ seq: e.seq, type: e.type, actor: e.actor, at: e.at, subject: e.subject, detail: e.detail, prevHash: e.prevHash }));
}

function fromRow(r: AccessEventRow): AccessEvent {
  return { seq: Number(r.seq), type: r.type, actor: r.actor, at: r.at, subject: r.subject, detail: JSON.parse(r.detail) as Record<string, unknown>, prevHash: r.prev_hash, hash: r.hash };
}

/** Appends one event; inside the unit of work that did what it records. */
export async function appendAccessEvent(m: EntityManager, input: AccessEventInput): Promise<void> {
  // The next seq comes from the chain's head row, advanced in this transaction (never "last + 1" read
  // unlocked); held as briefly as the incident chain's (appendAuditEntry): nothing waits between.
  const keyedFromSeq = await keyedFrom(m, 'access_event');
  const head = await chainHeads.advance(m, 'access_event');
  const partial = { type: input.type, actor: input.actor, at: input.at, subject: input.subject ?? null, detail: input.detail ?? {}, seq: head.seq, prevHash: head.prevHash };
  const hash = hashOf(partial, auditKeyOf(m), partial.seq >= keyedFromSeq);
  await chainHeads.append(m, 'access_event', partial.seq, hash, accessEvents.insert({ ...partial, detail: JSON.stringify(partial.detail), hash }));
}

export interface AccessFilter {
  type?: AccessEventType;
  /** One incident's (or user's, or token's) events. */
  subject?: string;
  /** Part of the actor's name or email. */
  actor?: string;
  limit: number;
}

/** The newest events first, optionally of one type or one actor. */
export async function listAccessEvents(m: EntityManager, f: AccessFilter): Promise<AccessEvent[]> {
  const rows = await accessEvents.list(m, {
    types: f.type ? [f.type] : undefined, subject: f.subject || undefined,
    actor: f.actor ? f.actor.toLowerCase().replace(/[%_]/g, '') : undefined, limit: f.limit, order: 'newest',
  });
  return rows.map(fromRow);
}

/** Walks the access chain (with `from`, only after where an earlier walk ended intact); the first broken link, or null. */
export async function verifyAccessChain(m: EntityManager, from?: ChainMark): Promise<{ events: number; broken: { seq: number; type: string; problem: string } | null; mark?: ChainMark }> {
  if (from && (await accessEvents.hashAt(m, from.seq)) !== from.hash) return verifyAccessChain(m);
  const key = auditKeyOf(m);
  const keyed = await keyedFrom(m, 'access_event');
  let prev = from?.hash ?? GENESIS_HASH;
  let expected = (from?.seq ?? 0) + 1;
  for (let after = from?.seq ?? 0; ; ) {
    const rows = await accessEvents.after(m, after, 1000);
    if (!rows.length) return { events: expected - 1, broken: null, mark: { seq: expected - 1, hash: prev, events: expected - 1 } };
    for (const r of rows) {
      let e: AccessEvent;
      try {
        e = fromRow(r);
      } catch {
        return { events: expected - 1, broken: { seq: Number(r.seq), type: r.type, problem: 'its detail is not valid JSON: the row was edited' } };
      }
      if (Number(r.seq) !== expected || e.prevHash !== prev) return { events: expected - 1, broken: { seq: Number(r.seq), type: r.type, problem: `the link to access event #${expected - 1} is broken: an event was removed, inserted or edited` } };
      if (hashOf(e, key, e.seq >= keyed) !== e.hash) return { events: expected - 1, broken: { seq: Number(r.seq), type: r.type, problem: 'its content does not match its hash: the row was edited' } };
      prev = e.hash;
      expected++;
    }
    after = Number(rows[rows.length - 1].seq);
  }
}
