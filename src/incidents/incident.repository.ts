import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ObligationTracking } from '../domain/lifecycle/incident.types';
import { TrackedObligation } from '../domain/lifecycle/tracking';
import { LocalDate } from '../domain/rules/calendar';

/** SQL for incidents and their obligations. No business logic: the service decides, this stores. */

export interface IncidentRow {
  id: string;
  reference: string;
  phase: string;
  is_open: number;
  snapshot: string;
  machine_version: number;
  rule_pack_version: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface IncidentRecord {
  id: string;
  reference: string;
  phase: string;
  open: boolean;
  snapshot: unknown;
  machineVersion: number;
  rulePackVersion: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface ListFilter {
  phase?: string;
  open?: boolean;
  overdue?: boolean;
  dueBefore?: LocalDate;
  today: LocalDate;
  page: number;
  pageSize: number;
}

export interface ListedIncident {
  id: string;
  reference: string;
  phase: string;
  open: boolean;
  version: number;
  nextDueOn: LocalDate | null;
  nextDueKey: string | null;
  overdue: number;
  createdAt: string;
}

@Injectable()
export class IncidentRepository {
  async load(m: EntityManager, id: string): Promise<IncidentRow | null> {
    const [row]: IncidentRow[] = await m.query('SELECT * FROM "incident" WHERE "id" = ?', [id]);
    return row ?? null;
  }

  /** The id of the incident with this reference (BF-2026-0001), or null. */
  async idOfReference(m: EntityManager, reference: string): Promise<string | null> {
    const [row]: { id: string }[] = await m.query('SELECT "id" FROM "incident" WHERE "reference" = ?', [reference]);
    return row?.id ?? null;
  }

  async countWithPrefix(m: EntityManager, prefix: string): Promise<number> {
    const [row]: { n: number }[] = await m.query('SELECT COUNT(*) AS "n" FROM "incident" WHERE "reference" LIKE ?', [`${prefix}%`]);
    return row.n;
  }

  async insert(m: EntityManager, r: IncidentRecord): Promise<void> {
    await m.query(
      `INSERT INTO "incident" ("id", "reference", "phase", "is_open", "snapshot", "machine_version", "rule_pack_version", "version", "created_at", "updated_at")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [r.id, r.reference, r.phase, r.open ? 1 : 0, JSON.stringify(r.snapshot), r.machineVersion, r.rulePackVersion, r.version, r.createdAt, r.updatedAt],
    );
  }

  /** Saves the next state only if nobody saved another since `expectedVersion`; false if they did. */
  async update(m: EntityManager, r: IncidentRecord, expectedVersion: number): Promise<boolean> {
    await m.query(
      `UPDATE "incident" SET "phase" = ?, "is_open" = ?, "snapshot" = ?, "machine_version" = ?, "rule_pack_version" = ?, "version" = ?, "updated_at" = ?
       WHERE "id" = ? AND "version" = ?`,
      [r.phase, r.open ? 1 : 0, JSON.stringify(r.snapshot), r.machineVersion, r.rulePackVersion, r.version, r.updatedAt, r.id, expectedVersion],
    );
    const [{ n }]: { n: number }[] = await m.query('SELECT changes() AS "n"');
    return n === 1;
  }

  /** Writes each tracked obligation, and the status of those the plan no longer has. */
  async syncObligations(
    m: EntityManager,
    incidentId: string,
    current: TrackedObligation[],
    tracking: Record<string, ObligationTracking>,
    now: string,
  ): Promise<void> {
    for (const o of current) {
      await m.query(
        `INSERT INTO "obligation" ("incident_id", "key", "regime", "audience", "jurisdiction", "recipient", "due_on", "due_before_hold", "why", "citation", "verify", "verify_reason", "status", "proof", "reason", "updated_at")
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT ("incident_id", "key") DO UPDATE SET
           "regime" = excluded."regime", "audience" = excluded."audience", "jurisdiction" = excluded."jurisdiction",
           "recipient" = excluded."recipient", "due_on" = excluded."due_on", "due_before_hold" = excluded."due_before_hold",
           "why" = excluded."why", "citation" = excluded."citation", "verify" = excluded."verify", "verify_reason" = excluded."verify_reason",
           "status" = excluded."status", "proof" = excluded."proof", "reason" = excluded."reason", "updated_at" = excluded."updated_at"
         WHERE "obligation"."status" IS NOT excluded."status" OR "obligation"."due_on" IS NOT excluded."due_on"
           OR "obligation"."why" IS NOT excluded."why" OR "obligation"."proof" IS NOT excluded."proof"`,
        [incidentId, o.key, o.regime, o.audience, o.jurisdiction ?? null, o.recipient, o.dueOn, o.dueBeforeHold ?? null, o.why, o.citation,
          o.verify ? 1 : 0, o.verifyReason ?? null, o.status, o.proof ? JSON.stringify(o.proof) : null, o.reason ?? null, now],
      );
    }
    const keys = new Set(current.map((o) => o.key));
    for (const [key, t] of Object.entries(tracking)) {
      if (keys.has(key)) continue;
      await m.query(
        'UPDATE "obligation" SET "status" = ?, "reason" = ?, "updated_at" = ? WHERE "incident_id" = ? AND "key" = ? AND "status" IS NOT ?',
        [t.status, t.reason ?? null, now, incidentId, key, t.status],
      );
    }
  }

  async list(m: EntityManager, f: ListFilter): Promise<{ items: ListedIncident[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const openDue = (cmp: string) => `EXISTS (SELECT 1 FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' AND o."due_on" ${cmp} ?)`;
    if (f.phase !== undefined) { where.push('i."phase" = ?'); params.push(f.phase); }
    if (f.open !== undefined) { where.push('i."is_open" = ?'); params.push(f.open ? 1 : 0); }
    if (f.overdue !== undefined) { where.push(`${f.overdue ? '' : 'NOT '}${openDue('<')}`); params.push(f.today); }
    if (f.dueBefore !== undefined) { where.push(openDue('<')); params.push(f.dueBefore); }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }]: { total: number }[] = await m.query(`SELECT COUNT(*) AS "total" FROM "incident" i ${clause}`, params);
    const rows: (IncidentRow & { next_due_on: string | null; next_due_key: string | null; overdue: number })[] = await m.query(
      `SELECT i.*,
         (SELECT o."due_on" FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' ORDER BY o."due_on", o."key" LIMIT 1) AS "next_due_on",
         (SELECT o."key" FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' ORDER BY o."due_on", o."key" LIMIT 1) AS "next_due_key",
         (SELECT COUNT(*) FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' AND o."due_on" < ?) AS "overdue"
       FROM "incident" i ${clause}
       ORDER BY i."is_open" DESC, "next_due_on" IS NULL, "next_due_on", i."created_at" DESC
       LIMIT ? OFFSET ?`,
      [f.today, ...params, f.pageSize, (f.page - 1) * f.pageSize],
    );
    return {
      total,
      items: rows.map((r) => ({
        id: r.id, reference: r.reference, phase: r.phase, open: r.is_open === 1, version: r.version,
        nextDueOn: r.next_due_on, nextDueKey: r.next_due_key, overdue: r.overdue, createdAt: r.created_at,
      })),
    };
  }
}
