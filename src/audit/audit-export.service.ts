import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { Checker } from '../domain/validation';
import { TransactionRunner } from '../persistence/transaction-runner';
import { appendAccessEvent } from './access-log';
import { AccessEventRepository, AccessEventRow } from './access-event.repository';
import { AuditEventRepository, ChangeRow } from './audit-event.repository';
import { accessKindOf, AUDIT_KINDS, AuditKind } from './audit-kinds';
import { ACCESS_EVENT_TYPES } from './access-log';

/**
 * The practice-wide audit trail for the audit page and its CSV export: incident changes and access
 * events side by side, filtered by kind (changes, access, admin) and by user. Never PHI: an incident
 * change is named by its type, phases and the incident's reference, not its payload (which may hold
 * free text); an access event's detail names what was touched by number or id.
 */

export interface AuditRow {
  trail: 'incident' | 'access';
  seq: number;
  at: string;
  kind: AuditKind;
  type: string;
  actor: string;
  incident: string | null;
  subject: string | null;
  detail: string;
  hash: string;
}

export interface AuditFilter { kind?: AuditKind; actor?: string; limit: number }

export const AUDIT_CSV_COLUMNS = ['trail', 'seq', 'at', 'kind', 'type', 'actor', 'incident', 'subject', 'detail', 'hash'] as const;

const PAGE = 1000;

function changeRow(r: ChangeRow): AuditRow {
  return {
    trail: 'incident', seq: Number(r.seq), at: r.at, kind: 'changes', type: r.type, actor: r.actor, incident: r.reference, subject: r.incident_id,
    detail: r.from_phase && r.from_phase !== r.to_phase ? `${r.from_phase} -> ${r.to_phase}` : r.to_phase, hash: r.hash,
  };
}

function accessRow(r: AccessEventRow): AuditRow {
  return { trail: 'access', seq: Number(r.seq), at: r.at, kind: accessKindOf(r.type), type: r.type, actor: r.actor, incident: null, subject: r.subject, detail: r.detail, hash: r.hash };
}

/** One CSV field: quoted when it must be, and a leading = + - @ defused so a spreadsheet does not run it. */
export function csvField(v: string | number | null): string {
  let text = v === null ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(row: AuditRow): string {
  return `${AUDIT_CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
}

@Injectable()
export class AuditExportService {
  private readonly changes = new AuditEventRepository();
  private readonly access = new AccessEventRepository();

  constructor(private readonly runner: TransactionRunner, @Inject(CLOCK) private readonly clock: Clock) {}

  /** The filter from a query string (?kind=&user=&limit=), every bad field named. */
  static checkFilter(q: Record<string, unknown>, maxLimit = 1000): AuditFilter {
    const c = new Checker();
    const kind = q.kind === undefined || q.kind === '' ? undefined : c.oneOf(q.kind, 'kind', AUDIT_KINDS);
    const raw = q.user ?? q.actor;
    const actor = raw === undefined || raw === '' ? undefined : c.string(raw, q.user !== undefined ? 'user' : 'actor');
    if (actor && actor.length > 100) c.fail(q.user !== undefined ? 'user' : 'actor', 'is too long (100 characters at most)');
    const limit = q.limit === undefined || q.limit === '' ? Math.min(200, maxLimit) : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) c.fail('limit', `must be a whole number from 1 to ${maxLimit}`);
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return { kind, actor: actor?.toLowerCase().replace(/[%_]/g, ''), limit };
  }

  private accessTypes(kind: AuditKind | undefined) {
    return kind === undefined ? undefined : ACCESS_EVENT_TYPES.filter((t) => accessKindOf(t) === kind);
  }

  /** The newest rows first, both trails merged by time. */
  timeline(f: AuditFilter): Promise<AuditRow[]> {
    return this.runner.read(async (m) => {
      const changes = f.kind === undefined || f.kind === 'changes' ? (await this.changes.list(m, { actor: f.actor, limit: f.limit, order: 'newest' })).map(changeRow) : [];
      const access = f.kind === 'changes' ? [] : (await this.access.list(m, { types: this.accessTypes(f.kind), actor: f.actor, limit: f.limit, order: 'newest' })).map(accessRow);
      return [...changes, ...access].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.trail < b.trail ? 1 : -1)).slice(0, f.limit);
    });
  }

  /** Every row the filter takes, oldest first, as CSV; the export itself is an access event. */
  async csv(f: Omit<AuditFilter, 'limit'>, by: Actor): Promise<string> {
    const lines = [`${AUDIT_CSV_COLUMNS.join(',')}\r\n`];
    let rows = 0;
    await this.runner.read(async (m) => {
      if (f.kind === undefined || f.kind === 'changes') rows += await this.each(m, (after) => this.changes.list(m, { actor: f.actor, afterSeq: after, limit: PAGE, order: 'oldest' }), changeRow, lines);
      if (f.kind !== 'changes') rows += await this.each(m, (after) => this.access.list(m, { types: this.accessTypes(f.kind), actor: f.actor, afterSeq: after, limit: PAGE, order: 'oldest' }), accessRow, lines);
    });
    await this.runner.transaction((m) => appendAccessEvent(m, {
      type: 'audit.exported', actor: by.id, at: this.clock.now().toISOString(), subject: 'audit_trail', detail: { kind: f.kind ?? 'all', ...(f.actor ? { user: f.actor } : {}), rows },
    }));
    return lines.join('');
  }

  private async each<R extends { seq: number }>(_m: EntityManager, page: (after: number) => Promise<R[]>, shape: (r: R) => AuditRow, out: string[]): Promise<number> {
    let n = 0;
    for (let after = 0; ;) {
      const rows = await page(after);
      if (!rows.length) return n;
      for (const r of rows) out.push(csvLine(shape(r)));
      n += rows.length;
      after = Number(rows[rows.length - 1].seq);
    }
  }
}
