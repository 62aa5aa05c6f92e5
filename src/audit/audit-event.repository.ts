import { EntityManager } from 'typeorm';
import { selectOne, selectRows } from '../persistence/sql';
import type { EventInsert } from './audit-chain-head.repository';

/**
 * SQL of "incident_event": appends, one incident's events, the chain in order, the checkpoint's head,
 * and the practice-wide audit page's and export's reads (those without payload: it may hold sealed
 * free text). No logic.
 */

/** A stored event as the table holds it (payload and changes are JSON text). */
export interface IncidentEventRow {
  seq: number;
  incident_id: string;
  incident_version: number;
  type: string;
  payload: string;
  changes: string | null;
  from_phase: string | null;
  to_phase: string;
  actor: string;
  at: string;
  state_hash: string;
  prev_hash: string;
  hash: string;
}

/** An event to append, its JSON already written. */
export interface IncidentEventRecord {
  seq: number; incidentId: string; incidentVersion: number; type: string; payload: string; changes: string | null;
  fromPhase: string | null; toPhase: string; actor: string; at: string; stateHash: string; prevHash: string; hash: string;
}

export interface ChangeRow { seq: number; incident_id: string; reference: string | null; type: string; from_phase: string | null; to_phase: string; actor: string; at: string; hash: string }

export interface ChangeRowFilter { actor?: string; afterSeq?: number; limit: number; order: 'newest' | 'oldest' }

export class AuditEventRepository {
  list(m: EntityManager, f: ChangeRowFilter): Promise<ChangeRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => { params.push(v); return `$${params.length}`; };
    if (f.actor) where.push(`LOWER(e."actor") LIKE ${p(`%${f.actor}%`)}`);
    if (f.afterSeq !== undefined) where.push(`e."seq" > ${p(f.afterSeq)}`);
    return selectRows(m, `SELECT e."seq", e."incident_id", i."reference", e."type", e."from_phase", e."to_phase", e."actor", e."at", e."hash"
      FROM "incident_event" e LEFT JOIN "incident" i ON i."id" = e."incident_id"
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY e."seq" ${f.order === 'newest' ? 'DESC' : 'ASC'} LIMIT ${p(f.limit)}`, params);
  }

  /** The INSERT of one event (AuditChainHeadRepository.append writes it with the head's move). */
  insert(e: IncidentEventRecord): EventInsert {
    return {
      sql: `INSERT INTO "incident_event" ("seq", "incident_id", "incident_version", "type", "payload", "changes", "from_phase", "to_phase", "actor", "at", "state_hash", "prev_hash", "hash")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      params: [e.seq, e.incidentId, e.incidentVersion, e.type, e.payload, e.changes, e.fromPhase, e.toPhase, e.actor, e.at, e.stateHash, e.prevHash, e.hash],
    };
  }

  /** One incident's events in order. */
  ofIncident(m: EntityManager, incidentId: string): Promise<IncidentEventRow[]> {
    return selectRows(m, 'SELECT * FROM "incident_event" WHERE "incident_id" = $1 ORDER BY "seq"', [incidentId]);
  }

  /** One incident's last event, or null. */
  lastOf(m: EntityManager, incidentId: string): Promise<IncidentEventRow | null> {
    return selectOne(m, 'SELECT * FROM "incident_event" WHERE "incident_id" = $1 ORDER BY "seq" DESC LIMIT 1', [incidentId]);
  }

  /** The next page of the chain in order, after a seq. */
  after(m: EntityManager, afterSeq: number, limit: number): Promise<IncidentEventRow[]> {
    return selectRows(m, 'SELECT * FROM "incident_event" WHERE "seq" > $1 ORDER BY "seq" LIMIT $2', [afterSeq, limit]);
  }

  /** The last event's seq and hash, or null for an empty trail. */
  head(m: EntityManager): Promise<{ seq: number; hash: string } | null> {
    return selectOne(m, 'SELECT "seq", "hash" FROM "incident_event" ORDER BY "seq" DESC LIMIT 1');
  }

  /** The hash of the event with this seq, or null. */
  async hashAt(m: EntityManager, seq: number): Promise<string | null> {
    return (await selectOne<{ hash: string }>(m, 'SELECT "hash" FROM "incident_event" WHERE "seq" = $1', [seq]))?.hash ?? null;
  }
}
