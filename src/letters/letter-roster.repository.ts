import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne, selectRows } from '../persistence/sql';

/** A roster row as the letters read it: the person stays sealed until the roster service opens it. */
export interface SealedPerson { seq: number; sealed: string; returned_on: string | null }

/** One file's share of a batch's mailed letters: the people numbered first..last, in roster order. */
export interface FileRange { no: number; firstSeq: number; lastSeq: number; letters: number }

/** The letters' statements on the "roster_person" table (which person is in which batch). */
@Injectable()
export class LetterRosterRepository {
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

  /** A batch's people numbered first..last, in roster order, still sealed. */
  inRange(m: EntityManager, incidentId: string, batchId: string, firstSeq: number, lastSeq: number): Promise<SealedPerson[]> {
    return selectRows<SealedPerson>(m,
      `SELECT "seq", "sealed", "returned_on" FROM "roster_person"
       WHERE "incident_id" = $1 AND "notified_batch" = $2 AND "active" = 1 AND "seq" >= $3 AND "seq" <= $4 ORDER BY "seq"`,
      [incidentId, batchId, firstSeq, lastSeq]);
  }
}
