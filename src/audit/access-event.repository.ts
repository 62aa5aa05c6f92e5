import { EntityManager } from 'typeorm';
import { execute, selectRows } from '../persistence/sql';
import { AccessEventType } from './access-log';

/** SQL of "access_event" reads for the audit page and export. No logic. */

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
  async insert(m: EntityManager, e: { seq: number; type: AccessEventType; actor: string; at: string; subject: string | null; detail: string; prevHash: string; hash: string }): Promise<void> {
    await execute(m, 'INSERT INTO "access_event" ("seq", "type", "actor", "at", "subject", "detail", "prev_hash", "hash") VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [e.seq, e.type, e.actor, e.at, e.subject, e.detail, e.prevHash, e.hash]);
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
}
