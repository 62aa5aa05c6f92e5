import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chunks, execute, placeholders, selectOne, selectRows } from '../persistence/sql';

/** A person as stored: the sealed record, and the clear columns the counts and pages need. */
export interface StoredPerson {
  seq: number;
  returned_on: string | null;
  sealed: string;
}

/** A row being staged by an import (inactive until the import activates it). */
export interface StagedPerson {
  incidentId: string;
  seq: number;
  importId: string;
  rowNo: number;
  identity: string;
  residentState: string;
  status: string;
  hasAddress: boolean;
  emailOk: boolean;
  sealed: string;
}

/** The per-state sums behind the roster's counts (sums come back as strings on PostgreSQL). */
export interface StateCountRow {
  resident_state: string;
  n: number | string;
  mail: number | string;
  email: number | string;
  insufficient: number | string;
  deceased_unreachable: number | string;
  returned: number | string;
}

/** Statements over a list of person numbers run this many at a time (SQLite caps bound parameters). */
/** A roster row as the letters read it: the person stays sealed until the roster service opens it. */
export interface SealedPerson { seq: number; sealed: string; returned_on: string | null }

/** One file's share of a batch's mailed letters: the people numbered first..last, in roster order. */
export interface FileRange { no: number; firstSeq: number; lastSeq: number; letters: number }

export const SLICE = 500;

const UNREACHABLE = `"email_ok" = 0 AND ("has_address" = 0 OR "returned_on" IS NOT NULL)`;

/**
 * Rows staged by `importId` that duplicate an earlier row of the same file, or someone already on
 * the roster: one pass with a window over the identity, not a lookup per row. $1 is the incident, $2 the import.
 */
const DUPLICATES = `SELECT d."seq", d."row_no", d."dup_of" FROM (
    SELECT s."seq", s."row_no",
      CASE WHEN ex."seq" IS NOT NULL THEN 'person ' || ex."seq" || ', already on the roster'
           WHEN ROW_NUMBER() OVER w > 1 THEN 'row ' || FIRST_VALUE(s."row_no") OVER w END AS "dup_of"
    FROM "roster_person" s
    LEFT JOIN (SELECT "identity", MIN("seq") AS "seq" FROM "roster_person" WHERE "incident_id" = $1 AND "active" = 1 GROUP BY "identity") ex ON ex."identity" = s."identity"
    WHERE s."import_id" = $2
    WINDOW w AS (PARTITION BY s."identity" ORDER BY s."row_no")
  ) d WHERE d."dup_of" IS NOT NULL`;

/** The roster_person table's SQL, and nothing else. */
@Injectable()
export class RosterPersonRepository {
  async nextSeq(m: EntityManager, incidentId: string): Promise<number> {
    const row = await selectOne<{ next: number | string }>(m,
      'SELECT COALESCE(MAX("seq"), 0) + 1 AS "next" FROM "roster_person" WHERE "incident_id" = $1', [incidentId]);
    return Number(row!.next);
  }

  async insertStaged(m: EntityManager, rows: readonly StagedPerson[]): Promise<void> {
    if (!rows.length) return;
    // Each row's ten values, then "active" = 0 (staged).
    const values = rows.map((_, i) => `(${placeholders(10, i * 10 + 1)}, 0)`);
    await execute(m,
      `INSERT INTO "roster_person" ("incident_id", "seq", "import_id", "row_no", "identity", "resident_state", "status", "has_address", "email_ok", "sealed", "active")
       VALUES ${values.join(', ')}`,
      rows.flatMap((r) => [r.incidentId, r.seq, r.importId, r.rowNo, r.identity, r.residentState, r.status, r.hasAddress ? 1 : 0, r.emailOk ? 1 : 0, r.sealed]));
  }

  /** Drops what an import staged and did not activate; answers how many rows went. */
  deleteStaged(m: EntityManager, importId: string): Promise<number> {
    return execute(m, 'DELETE FROM "roster_person" WHERE "import_id" = $1 AND "active" = 0', [importId]);
  }

  /** Activates an import's staged rows; answers how many are now active. */
  activate(m: EntityManager, importId: string): Promise<number> {
    return execute(m, 'UPDATE "roster_person" SET "active" = 1 WHERE "import_id" = $1 AND "active" = 0', [importId]);
  }

  async countActiveOfImport(m: EntityManager, importId: string): Promise<number> {
    const row = await selectOne<{ n: number }>(m,
      'SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "roster_person" WHERE "import_id" = $1 AND "active" = 1', [importId]);
    return Number(row!.n);
  }

  /** The first `limit` duplicates an import staged (by row), and how many there are in all. */
  async duplicates(m: EntityManager, incidentId: string, importId: string, limit: number): Promise<{ rows: { row_no: number; dup_of: string }[]; count: number }> {
    const params = [incidentId, importId];
    const rows = await selectRows<{ row_no: number; dup_of: string }>(m, `${DUPLICATES} ORDER BY d."row_no" LIMIT ${Math.trunc(limit)}`, params);
    const total = await selectOne<{ n: number }>(m, `SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM (${DUPLICATES}) c`, params);
    return { rows: rows.map((r) => ({ row_no: Number(r.row_no), dup_of: r.dup_of })), count: Number(total!.n) };
  }

  deleteDuplicates(m: EntityManager, incidentId: string, importId: string): Promise<number> {
    return execute(m, `DELETE FROM "roster_person" WHERE "incident_id" = $1 AND "seq" IN (SELECT x."seq" FROM (${DUPLICATES}) x)`, [incidentId, importId]);
  }

  /** Per state of residence: people, by delivery route, unreachable, returned mail. */
  countsByState(m: EntityManager, incidentId: string): Promise<StateCountRow[]> {
    return selectRows<StateCountRow>(m,
      `SELECT "resident_state", CAST(COUNT(*) AS INTEGER) AS "n",
         SUM(CASE WHEN "email_ok" = 1 THEN 1 ELSE 0 END) AS "email",
         SUM(CASE WHEN "email_ok" = 0 AND "has_address" = 1 AND "returned_on" IS NULL THEN 1 ELSE 0 END) AS "mail",
         SUM(CASE WHEN "status" <> 'deceased' AND ${UNREACHABLE} THEN 1 ELSE 0 END) AS "insufficient",
         SUM(CASE WHEN "status" = 'deceased' AND ${UNREACHABLE} THEN 1 ELSE 0 END) AS "deceased_unreachable",
         SUM(CASE WHEN "returned_on" IS NOT NULL THEN 1 ELSE 0 END) AS "returned"
       FROM "roster_person" WHERE "incident_id" = $1 AND "active" = 1 GROUP BY "resident_state" ORDER BY "resident_state"`, [incidentId]);
  }

  /** The listed people on the roster, each with the date their notice was sent (null if not yet). */
  async sentOn(m: EntityManager, incidentId: string, seqs: readonly number[]): Promise<Map<number, string | null>> {
    const found = new Map<number, string | null>();
    for (const slice of chunks(seqs, SLICE)) {
      const rows = await selectRows<{ seq: number; sent_on: string | null }>(m,
        `SELECT p."seq", b."sent_on" FROM "roster_person" p LEFT JOIN "letter_batch" b ON b."id" = p."notified_batch"
         WHERE p."incident_id" = $1 AND p."active" = 1 AND p."seq" IN (${placeholders(slice.length, 2)})`, [incidentId, ...slice]);
      for (const r of rows) found.set(Number(r.seq), r.sent_on);
    }
    return found;
  }

  async setReturnedOn(m: EntityManager, incidentId: string, seqs: readonly number[], returnedOn: string): Promise<number> {
    let n = 0;
    for (const slice of chunks(seqs, SLICE)) {
      n += await execute(m, `UPDATE "roster_person" SET "returned_on" = $1 WHERE "incident_id" = $2 AND "seq" IN (${placeholders(slice.length, 3)})`,
        [returnedOn, incidentId, ...slice]);
    }
    return n;
  }

  async deletePeople(m: EntityManager, incidentId: string, seqs: readonly number[]): Promise<number> {
    let n = 0;
    for (const slice of chunks(seqs, SLICE)) {
      n += await execute(m, `DELETE FROM "roster_person" WHERE "incident_id" = $1 AND "seq" IN (${placeholders(slice.length, 2)})`, [incidentId, ...slice]);
    }
    return n;
  }

  findActive(m: EntityManager, incidentId: string, seq: number): Promise<StoredPerson | null> {
    return selectOne<StoredPerson>(m,
      'SELECT "seq", "returned_on", "sealed" FROM "roster_person" WHERE "incident_id" = $1 AND "seq" = $2 AND "active" = 1', [incidentId, seq]);
  }

  /** Active people after `after` in roster order (keyset), all of them or one letter batch's. */
  page(m: EntityManager, incidentId: string, after: number, limit: number, batchId?: string): Promise<StoredPerson[]> {
    return selectRows<StoredPerson>(m,
      `SELECT "seq", "returned_on", "sealed" FROM "roster_person"
       WHERE "incident_id" = $1 AND "active" = 1 AND "seq" > $2 ${batchId ? 'AND "notified_batch" = $4' : ''} ORDER BY "seq" LIMIT $3`,
      [incidentId, after, limit, ...(batchId ? [batchId] : [])]);
  }

  /** Every person of every incident after (incident, seq), for re-sealing under a new key. */
  sealedAfter(m: EntityManager, after: { incident: string; seq: number }, limit: number): Promise<{ incident_id: string; seq: number; sealed: string }[]> {
    return selectRows(m,
      `SELECT "incident_id", "seq", "sealed" FROM "roster_person" WHERE ("incident_id" > $1 OR ("incident_id" = $1 AND "seq" > $2))
       ORDER BY "incident_id", "seq" LIMIT $3`, [after.incident, after.seq, limit]);
  }

  async reseal(m: EntityManager, incidentId: string, seq: number, sealed: string, identity: string): Promise<void> {
    await execute(m, 'UPDATE "roster_person" SET "sealed" = $1, "identity" = $2 WHERE "incident_id" = $3 AND "seq" = $4', [sealed, identity, incidentId, seq]);
  }

  // The letters' statements: which person is in which batch.

  /** Everyone reachable who has not been in a batch marked sent joins the new batch. */
  assignToBatch(m: EntityManager, incidentId: string, batchId: string): Promise<number> {
    return execute(m,
      `UPDATE "roster_person" SET "notified_batch" = $1 WHERE "incident_id" = $2 AND "active" = 1
         AND ("email_ok" = 1 OR ("has_address" = 1 AND "returned_on" IS NULL))
         AND ("notified_batch" IS NULL OR "notified_batch" IN (SELECT "id" FROM "letter_batch" WHERE "incident_id" = $2 AND "sent_on" IS NULL))`,
      [batchId, incidentId]);
  }

  async batchCounts(m: EntityManager, incidentId: string, batchId: string): Promise<{ people: number; emails: number }> {
    const row = await selectOne<{ n: number | string; emails: number | string | null }>(m,
      `SELECT CAST(COUNT(*) AS INTEGER) AS "n", CAST(SUM("email_ok") AS INTEGER) AS "emails" FROM "roster_person" WHERE "incident_id" = $1 AND "notified_batch" = $2`,
      [incidentId, batchId]);
    return { people: Number(row?.n ?? 0), emails: Number(row?.emails ?? 0) };
  }

  /**
   * The batch's mailed letters cut into files of `perFile` people in roster order (people with
   * email consent get email, not a letter): each file's first and last person number.
   */
  async fileRanges(m: EntityManager, incidentId: string, batchId: string, perFile: number): Promise<FileRange[]> {
    const rows = await selectRows<{ f: number | string; lo: number | string; hi: number | string; n: number | string }>(m,
      `SELECT CAST("f" AS INTEGER) AS "f", CAST(MIN("seq") AS INTEGER) AS "lo", CAST(MAX("seq") AS INTEGER) AS "hi", CAST(COUNT(*) AS INTEGER) AS "n"
       FROM (SELECT "seq", (ROW_NUMBER() OVER (ORDER BY "seq") - 1) / $3 AS "f" FROM "roster_person"
             WHERE "incident_id" = $1 AND "notified_batch" = $2 AND "email_ok" = 0) AS "mailed"
       GROUP BY "f" ORDER BY "f"`,
      [incidentId, batchId, perFile]);
    return rows.map((r) => ({ no: Number(r.f) + 1, firstSeq: Number(r.lo), lastSeq: Number(r.hi), letters: Number(r.n) }));
  }

  /** A batch's people to mail, numbered first..last, in roster order, still sealed: the same
   *  condition as fileRanges' cut, so no one who gets an email is opened only to be skipped. */
  inRange(m: EntityManager, incidentId: string, batchId: string, firstSeq: number, lastSeq: number): Promise<SealedPerson[]> {
    return selectRows<SealedPerson>(m,
      `SELECT "seq", "sealed", "returned_on" FROM "roster_person"
       WHERE "incident_id" = $1 AND "notified_batch" = $2 AND "active" = 1 AND "email_ok" = 0 AND "seq" >= $3 AND "seq" <= $4 ORDER BY "seq"`,
      [incidentId, batchId, firstSeq, lastSeq]);
  }
}
