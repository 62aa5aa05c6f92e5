import { EntityManager } from 'typeorm';
import { selectOne, selectRows } from '../persistence/sql';
import { AccessEventType } from './access-event.types';
import type { EventInsert } from './audit-chain-head.repository';

/** SQL of "access_event": appends, reads for the audit page, export and verification, the checkpoint's head. No logic. */

export interface AccessEventRow { seq: number; type: AccessEventType; actor: string; at: string; subject: string | null; detail: string; prev_hash: string; hash: string }

export interface AccessRowFilter {
  types?: readonly AccessEventType[];
  subject?: string;
  /** Lower-case text the actor contains (% and _ already removed). */
  actor?: string;
  /** Only events before this seq (paging newest first), or after it (paging oldest first). */
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
  order: 'newest' | 'oldest';
}

export class AccessEventRepository {
  /** The INSERT of one event (AuditChainHeadRepository.append writes it with the head's move). */
  insert(e: { seq: number; type: AccessEventType; actor: string; at: string; subject: string | null; detail: string; prevHash: string; hash: string }): EventInsert {
    return {
      sql: 'INSERT INTO "access_event" ("seq", "type", "actor", "at", "subject", "detail", "prev_hash", "hash") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      params: [e.seq, e.type, e.actor, e.at, e.subject, e.detail, e.prevHash, e.hash],
    };
  }

  list(m: EntityManager, f: AccessRowFilter): Promise<AccessEventRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
    if (f.types) where.push(f.types.length ? `"type" IN (${f.types.map((t) => p(t)).join(', ')})` : '1 = 0');
    if (f.subject) where.push(`"subject" = ${p(f.subject)}`);
    if (f.actor) where.push(`LOWER("actor") LIKE ${p(`%${f.actor}%`)}`);
    if (f.beforeSeq !== undefined) where.push(`"seq" < ${p(f.beforeSeq)}`);
    if (f.afterSeq !== undefined) where.push(`"seq" > ${p(f.afterSeq)}`);
    const sql = `SELECT * FROM "access_event" ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY "seq" ${f.order === 'newest' ? 'DESC' : 'ASC'} LIMIT ${p(f.limit)}`;
    return selectRows(m, sql, params);
  }

  /** The next page of the chain in order, after a seq. */
  after(m: EntityManager, afterSeq: number, limit: number): Promise<AccessEventRow[]> {
    return selectRows(m, 'SELECT * FROM "access_event" WHERE "seq" > $1 ORDER BY "seq" LIMIT $2', [afterSeq, limit]);
  }

  /** The last event's seq and hash, or null for an empty trail. */
  head(m: EntityManager): Promise<{ seq: number; hash: string } | null> {
    return selectOne(m, 'SELECT "seq", "hash" FROM "access_event" ORDER BY "seq" DESC LIMIT 1');
  }

  /** The hash of the event with this seq, or null. */
  async hashAt(m: EntityManager, seq: number): Promise<string | null> {
    return (await selectOne<{ hash: string }>(m, 'SELECT "hash" FROM "access_event" WHERE "seq" = $1', [seq]))?.hash ?? null;
  }
}
