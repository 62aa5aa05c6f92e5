import { EntityManager } from 'typeorm';
import { selectRows } from '../persistence/sql';

/** SQL of "incident_event" reads for the practice-wide audit page and export (no payload: it may hold sealed free text). No logic. */

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
}
