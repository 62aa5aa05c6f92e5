import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { chunks, execute, placeholders, returning, selectRows, skipLocked } from '../persistence/sql';
import { FileRange } from '../roster/roster-person.repository';

/** One PDF file of a letter batch, as claimed for rendering. */
export interface ClaimedFile {
  id: string; batchId: string; incidentId: string; no: number; firstSeq: number; lastSeq: number; claim: string; attempts: number;
}

export interface FileState { no: number; status: 'pending' | 'rendering' | 'done'; letters: number; pages: number }

/** A batch running, cut into files, whose every file is rendered: ready to be finished. */
export interface ReadyBatch { id: string; incidentId: string }

/** A file nobody renders, or whose renderer's lease expired before the time bound at `now`. */
const claimable = (now: string) => `("status" = 'pending' OR ("status" = 'rendering' AND "lease_expires_at" < ${now}))`;

/** Rows per INSERT of a batch's files (6 values each, well under either engine's limit). */
const FILES_PER_INSERT = 100;

/** The "letter_file" table: a batch's files, each claimed by one renderer under a lease. */
@Injectable()
export class LetterFileRepository {
  async plan(m: EntityManager, batchId: string, incidentId: string, ranges: readonly FileRange[]): Promise<void> {
    for (const slice of chunks(ranges, FILES_PER_INSERT)) {
      await execute(m,
        `INSERT INTO "letter_file" ("id", "batch_id", "incident_id", "no", "first_seq", "last_seq", "status", "attempts", "letters", "pages") VALUES ${
          slice.map((_, k) => `(${placeholders(6, k * 6 + 1)}, 'pending', 0, 0, 0)`).join(', ')}`,
        slice.flatMap((r) => [randomUUID(), batchId, incidentId, r.no, r.firstSeq, r.lastSeq]));
    }
    await execute(m, 'UPDATE "letter_batch" SET "files_planned" = $1 WHERE "id" = $2', [ranges.length, batchId]);
  }

  /**
   * Claims the next file of a running batch that nobody renders, or whose renderer's lease expired:
   * one conditional UPDATE (the claim condition again outside the subquery), so of two instances
   * claiming at once one gets the row; PostgreSQL skips rows another claim has locked.
   */
  async claim(m: EntityManager, owner: string, expiresAt: string, now: string): Promise<ClaimedFile | null> {
    const claim = randomUUID();
    const [row] = await returning<{ id: string; batch_id: string; incident_id: string; no: number; first_seq: number; last_seq: number; attempts: number }>(m,
      `UPDATE "letter_file" SET "status" = 'rendering', "owner" = $1, "claim" = $2, "lease_expires_at" = $3, "attempts" = "attempts" + 1
       WHERE "id" IN (SELECT "id" FROM "letter_file" WHERE ${claimable('$4')}
                        AND "batch_id" IN (SELECT "id" FROM "letter_batch" WHERE "status" = 'running')
                      ORDER BY "batch_id", "no" LIMIT 1${skipLocked(m)})
         AND ${claimable('$4')}
       RETURNING "id", "batch_id", "incident_id", "no", "first_seq", "last_seq", "attempts"`,
      [owner, claim, expiresAt, now]);
    if (!row) return null;
    return { id: row.id, batchId: row.batch_id, incidentId: row.incident_id, no: Number(row.no), firstSeq: Number(row.first_seq), lastSeq: Number(row.last_seq), claim, attempts: Number(row.attempts) };
  }

  /** Answers 0 once the claim is no longer this renderer's (its lease expired and another took it). */
  renew(m: EntityManager, f: ClaimedFile, expiresAt: string): Promise<number> {
    return execute(m, `UPDATE "letter_file" SET "lease_expires_at" = $1 WHERE "id" = $2 AND "claim" = $3 AND "status" = 'rendering'`, [expiresAt, f.id, f.claim]);
  }

  /** The file is written: answers 1 for the renderer still holding the claim, 0 for one that lost it. */
  complete(m: EntityManager, f: ClaimedFile, letters: number, pages: number): Promise<number> {
    return execute(m, `UPDATE "letter_file" SET "status" = 'done', "letters" = $1, "pages" = $2, "lease_expires_at" = NULL WHERE "id" = $3 AND "claim" = $4 AND "status" = 'rendering'`,
      [letters, pages, f.id, f.claim]);
  }

  async ofBatch(m: EntityManager, batchId: string): Promise<FileState[]> {
    const rows = await selectRows<{ no: number; status: FileState['status']; letters: number; pages: number }>(m,
      'SELECT "no", "status", "letters", "pages" FROM "letter_file" WHERE "batch_id" = $1 ORDER BY "no"', [batchId]);
    return rows.map((r) => ({ no: Number(r.no), status: r.status, letters: Number(r.letters), pages: Number(r.pages) }));
  }

  async anyClaimable(m: EntityManager, now: string): Promise<boolean> {
    const rows = await selectRows(m,
      `SELECT "id" FROM "letter_file" WHERE ${claimable('$1')}
         AND "batch_id" IN (SELECT "id" FROM "letter_batch" WHERE "status" = 'running') LIMIT 1`, [now]);
    return rows.length > 0;
  }

  async readyBatches(m: EntityManager): Promise<ReadyBatch[]> {
    const rows = await selectRows<{ id: string; incident_id: string }>(m,
      `SELECT b."id", b."incident_id" FROM "letter_batch" b WHERE b."status" = 'running' AND b."files_planned" IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM "letter_file" f WHERE f."batch_id" = b."id" AND f."status" != 'done')`);
    return rows.map((r) => ({ id: r.id, incidentId: r.incident_id }));
  }
}
