import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ObligationTracking } from '../domain/lifecycle/incident.types';
import { TrackedObligation } from '../domain/lifecycle/tracking';
import { LocalDate } from '../domain/rules/calendar';
import { chunks, IDS_PER_STATEMENT, execute, forUpdate, placeholders, returning, selectOne, selectRows } from '../persistence/sql';

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

/** Obligation rows per upsert statement (16 parameters each: far below either engine's limit). */
const OBLIGATION_CHUNK = 100;

@Injectable()
export class IncidentRepository {
  /**
   * The incident row. `lock`: inside the transaction that will change it, the row is locked (FOR
   * UPDATE on PostgreSQL; SQLite's single writer already is), so the version check, the audit link
   * and the obligations of one change are never interleaved with another's.
   */
  async load(m: EntityManager, id: string, lock = false): Promise<IncidentRow | null> {
    return selectOne<IncidentRow>(m, `SELECT * FROM "incident" WHERE "id" = $1${lock ? forUpdate(m) : ''}`, [id]);
  }

  /** The id of the incident with this reference (BF-2026-0001), or null. */
  async idOfReference(m: EntityManager, reference: string): Promise<string | null> {
    return (await selectOne<{ id: string }>(m, 'SELECT "id" FROM "incident" WHERE "reference" = $1', [reference]))?.id ?? null;
  }

  /** Every open incident's id and stored snapshot (a settings change re-schedules their reminders). */
  openSnapshots(m: EntityManager): Promise<{ id: string; snapshot: string }[]> {
    return selectRows(m, 'SELECT "id", "snapshot" FROM "incident" WHERE "is_open" = 1 ORDER BY "id"');
  }

  // The audit trail's reads: the state a note's event carries, what chain verification compares.

  /** Every incident's reference by id. */
  references(m: EntityManager): Promise<{ id: string; reference: string }[]> {
    return selectRows(m, 'SELECT "id", "reference" FROM "incident"');
  }

  /** Every incident's version and stored state, oldest first. */
  states(m: EntityManager): Promise<{ id: string; version: number; snapshot: string }[]> {
    return selectRows(m, 'SELECT "id", "version", "snapshot" FROM "incident" ORDER BY "created_at", "id"');
  }

  /** These incidents' versions and stored states. */
  async statesOf(m: EntityManager, ids: readonly string[]): Promise<{ id: string; version: number; snapshot: string }[]> {
    const out: { id: string; version: number; snapshot: string }[] = [];
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      out.push(...await selectRows<{ id: string; version: number; snapshot: string }>(m, `SELECT "id", "version", "snapshot" FROM "incident" WHERE "id" IN (${placeholders(chunk.length, 1)})`, chunk));
    }
    return out;
  }

  /** One incident's version, phase and stored state, or null. */
  stateOf(m: EntityManager, id: string): Promise<{ version: number; phase: string; snapshot: string } | null> {
    return selectOne(m, 'SELECT "version", "phase", "snapshot" FROM "incident" WHERE "id" = $1', [id]);
  }

  /** Whether an incident with this id exists (its row's key only). */
  async exists(m: EntityManager, id: string): Promise<boolean> {
    return (await selectOne(m, 'SELECT "id" FROM "incident" WHERE "id" = $1', [id])) !== null;
  }

  /** Every incident's id, oldest first (the annual log). */
  async allIds(m: EntityManager): Promise<string[]> {
    return (await selectRows<{ id: string }>(m, 'SELECT "id" FROM "incident" ORDER BY "created_at"')).map((r) => r.id);
  }

  /** The id of the incident with this id or reference, or null. */
  async idOfIdOrReference(m: EntityManager, ref: string): Promise<string | null> {
    return (await selectOne<{ id: string }>(m, 'SELECT "id" FROM "incident" WHERE "reference" = $1 OR "id" = $1', [ref]))?.id ?? null;
  }

  /**
   * The next number of a reference prefix (BF-2026-), from its counter row, incremented in the
   * caller's transaction: the row stays locked until that commits, so concurrent reports never
   * share a number, and a report that rolls back gives its number back.
   */
  async nextReferenceNumber(m: EntityManager, prefix: string): Promise<number> {
    const [row] = await returning<{ last: number }>(m,
      `INSERT INTO "incident_reference_counter" ("prefix", "last") VALUES ($1, 1)
       ON CONFLICT ("prefix") DO UPDATE SET "last" = "incident_reference_counter"."last" + 1
       RETURNING "last"`, [prefix]);
    return Number(row.last);
  }

  /** Whether an active user has this email (reminders go only to someone of the practice). */
  async isActiveUserEmail(m: EntityManager, email: string): Promise<boolean> {
    return (await selectOne(m, 'SELECT 1 AS "one" FROM "user" WHERE lower("email") = $1 AND "disabled" = 0', [email.toLowerCase()])) !== null;
  }

  async insert(m: EntityManager, r: IncidentRecord): Promise<void> {
    await execute(m,
      `INSERT INTO "incident" ("id", "reference", "phase", "is_open", "snapshot", "machine_version", "rule_pack_version", "version", "created_at", "updated_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.id, r.reference, r.phase, r.open ? 1 : 0, JSON.stringify(r.snapshot), r.machineVersion, r.rulePackVersion, r.version, r.createdAt, r.updatedAt],
    );
  }

  /** Saves the next state only if nobody saved another since `expectedVersion`; false if they did. */
  async update(m: EntityManager, r: IncidentRecord, expectedVersion: number): Promise<boolean> {
    const n = await execute(m,
      `UPDATE "incident" SET "phase" = $1, "is_open" = $2, "snapshot" = $3, "machine_version" = $4, "rule_pack_version" = $5, "version" = $6, "updated_at" = $7
       WHERE "id" = $8 AND "version" = $9`,
      [r.phase, r.open ? 1 : 0, JSON.stringify(r.snapshot), r.machineVersion, r.rulePackVersion, r.version, r.updatedAt, r.id, expectedVersion],
    );
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
    // One statement per chunk of rows, not one per obligation: a re-plan of many states is one round trip.
    for (const chunk of chunks(current, OBLIGATION_CHUNK)) {
      const params: unknown[] = [];
      const rows = chunk.map((o) => {
        const at = params.length;
        params.push(incidentId, o.key, o.regime, o.audience, o.jurisdiction ?? null, o.recipient, o.dueOn, o.dueBeforeHold ?? null, o.why, o.citation,
          o.verify ? 1 : 0, o.verifyReason ?? null, o.status, o.proof ? JSON.stringify(o.proof) : null, o.reason ?? null, now);
        return `(${placeholders(16, at + 1)})`;
      });
      await execute(m,
        `INSERT INTO "obligation" ("incident_id", "key", "regime", "audience", "jurisdiction", "recipient", "due_on", "due_before_hold", "why", "citation", "verify", "verify_reason", "status", "proof", "reason", "updated_at")
         VALUES ${rows.join(', ')}
         ON CONFLICT ("incident_id", "key") DO UPDATE SET
           "regime" = excluded."regime", "audience" = excluded."audience", "jurisdiction" = excluded."jurisdiction",
           "recipient" = excluded."recipient", "due_on" = excluded."due_on", "due_before_hold" = excluded."due_before_hold",
           "why" = excluded."why", "citation" = excluded."citation", "verify" = excluded."verify", "verify_reason" = excluded."verify_reason",
           "status" = excluded."status", "proof" = excluded."proof", "reason" = excluded."reason", "updated_at" = excluded."updated_at"
         WHERE "obligation"."status" IS DISTINCT FROM excluded."status" OR "obligation"."due_on" IS DISTINCT FROM excluded."due_on"
           OR "obligation"."why" IS DISTINCT FROM excluded."why" OR "obligation"."proof" IS DISTINCT FROM excluded."proof"`,
        params,
      );
    }
    const keys = new Set(current.map((o) => o.key));
    for (const [key, t] of Object.entries(tracking)) {
      if (keys.has(key)) continue;
      await execute(m,
        'UPDATE "obligation" SET "status" = $1, "reason" = $2, "updated_at" = $3 WHERE "incident_id" = $4 AND "key" = $5 AND "status" IS DISTINCT FROM $1',
        [t.status, t.reason ?? null, now, incidentId, key],
      );
    }
  }

  async list(m: EntityManager, f: ListFilter): Promise<{ items: ListedIncident[]; total: number }> {
    const counting = filterClause(f, []);
    const counted = await selectOne<{ total: number }>(m, `SELECT CAST(COUNT(*) AS INTEGER) AS "total" FROM "incident" i ${counting.clause}`, counting.params);
    const total = Number(counted?.total ?? 0);
    // $1 is today (the overdue count); the filters' values follow, then the page.
    const { clause, params } = filterClause(f, [f.today]);
    const page = `LIMIT $${params.length + 1} OFFSET $${params.length + 2}`;
    params.push(f.pageSize, (f.page - 1) * f.pageSize);
    const rows = await selectRows<IncidentRow & { next_due_on: string | null; next_due_key: string | null; overdue: number }>(m,
      `SELECT i.*,
         (SELECT o."due_on" FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' ORDER BY o."due_on", o."key" LIMIT 1) AS "next_due_on",
         (SELECT o."key" FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' ORDER BY o."due_on", o."key" LIMIT 1) AS "next_due_key",
         (SELECT CAST(COUNT(*) AS INTEGER) FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' AND o."due_on" < $1) AS "overdue"
       FROM "incident" i ${clause}
       ORDER BY i."is_open" DESC, "next_due_on" NULLS LAST, i."created_at" DESC
       ${page}`,
      params,
    );
    return {
      total,
      items: rows.map((r) => ({
        id: r.id, reference: r.reference, phase: r.phase, open: r.is_open === 1, version: r.version,
        nextDueOn: r.next_due_on, nextDueKey: r.next_due_key, overdue: Number(r.overdue), createdAt: r.created_at,
      })),
    };
  }

  /** The incidents of a sweep's reminders, in one statement per chunk: open or not, and their stored snapshots. */
  async incidentSnapshots(m: EntityManager, ids: readonly string[]): Promise<{ id: string; is_open: number; snapshot: string }[]> {
    const rows: { id: string; is_open: number; snapshot: string }[] = [];
    for (const chunk of chunks(ids, IDS_PER_STATEMENT)) {
      rows.push(...await selectRows<{ id: string; is_open: number; snapshot: string }>(m,
        `SELECT "id", "is_open", "snapshot" FROM "incident" WHERE "id" IN (${placeholders(chunk.length, 1)})`, chunk));
    }
    return rows;
  }
}

/** The list's WHERE clause, its values numbered after those already in `params`. */
function filterClause(f: ListFilter, params: unknown[]): { clause: string; params: unknown[] } {
  const where: string[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const openDue = (value: unknown) => `EXISTS (SELECT 1 FROM "obligation" o WHERE o."incident_id" = i."id" AND o."status" = 'open' AND o."due_on" < ${bind(value)})`;
  if (f.phase !== undefined) where.push(`i."phase" = ${bind(f.phase)}`);
  if (f.open !== undefined) where.push(`i."is_open" = ${bind(f.open ? 1 : 0)}`);
  if (f.overdue !== undefined) where.push(`${f.overdue ? '' : 'NOT '}${openDue(f.today)}`);
  if (f.dueBefore !== undefined) where.push(openDue(f.dueBefore));
  return { clause: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}
