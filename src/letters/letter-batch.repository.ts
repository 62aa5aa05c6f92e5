import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, forUpdate, selectOne, selectRows } from '../persistence/sql';

export type BatchStatus = 'running' | 'done' | 'failed' | 'superseded';

/** A letter batch as stored: `detail` is JSON text (letters, emails, pages, files). */
export interface BatchRow {
  id: string; incident_id: string; status: BatchStatus; total: number; done: number; detail: string; error: string | null;
  actor: string; created_at: string; finished_at: string | null; sent_on: string | null; files_planned: number | null; notice: string | null;
}

/** The "letter_batch" table: every statement on it, and nothing else. */
@Injectable()
export class LetterBatchRepository {
  find(m: EntityManager, incidentId: string, batchId: string): Promise<BatchRow | null> {
    return selectOne<BatchRow>(m, 'SELECT * FROM "letter_batch" WHERE "incident_id" = $1 AND "id" = $2', [incidentId, batchId]);
  }

  /** `lock`: the row held until the unit of work ends (PostgreSQL), for a change computed from what it reads. */
  byId(m: EntityManager, batchId: string, lock = false): Promise<BatchRow | null> {
    return selectOne<BatchRow>(m, `SELECT * FROM "letter_batch" WHERE "id" = $1${lock ? forUpdate(m) : ''}`, [batchId]);
  }

  ofIncident(m: EntityManager, incidentId: string): Promise<BatchRow[]> {
    return selectRows<BatchRow>(m, 'SELECT * FROM "letter_batch" WHERE "incident_id" = $1 ORDER BY "created_at" DESC', [incidentId]);
  }

  async runningOf(m: EntityManager, incidentId: string): Promise<string | null> {
    const row = await selectOne<{ id: string }>(m, `SELECT "id" FROM "letter_batch" WHERE "incident_id" = $1 AND "status" = 'running'`, [incidentId]);
    return row?.id ?? null;
  }

  async anySent(m: EntityManager, incidentId: string): Promise<boolean> {
    return (await selectOne(m, 'SELECT "id" FROM "letter_batch" WHERE "incident_id" = $1 AND "sent_on" IS NOT NULL LIMIT 1', [incidentId])) !== null;
  }

  /** An earlier batch never marked sent is replaced by a new one: it can no longer be marked sent. */
  supersedeUnsent(m: EntityManager, incidentId: string): Promise<number> {
    return execute(m, `UPDATE "letter_batch" SET "status" = 'superseded' WHERE "incident_id" = $1 AND "status" = 'done' AND "sent_on" IS NULL`, [incidentId]);
  }

  insertRunning(m: EntityManager, b: { id: string; incidentId: string; actor: string; at: string }): Promise<number> {
    return execute(m, `INSERT INTO "letter_batch" ("id", "incident_id", "status", "total", "detail", "actor", "created_at") VALUES ($1, $2, 'running', 0, '{}', $3, $4)`,
      [b.id, b.incidentId, b.actor, b.at]);
  }

  /** The batch's people counted and its letter fixed (JSON text without PHI), inside the unit of work that creates it. */
  setTotal(m: EntityManager, batchId: string, total: number, detail: object, notice: string): Promise<number> {
    return execute(m, 'UPDATE "letter_batch" SET "total" = $1, "detail" = $2, "notice" = $3 WHERE "id" = $4', [total, JSON.stringify(detail), notice, batchId]);
  }

  setProgress(m: EntityManager, batchId: string, done: number, detail: object): Promise<number> {
    return execute(m, `UPDATE "letter_batch" SET "done" = $1, "detail" = $2 WHERE "id" = $3 AND "status" = 'running'`, [done, JSON.stringify(detail), batchId]);
  }

  /** Only a running batch is finished, so of two processes finishing it one changes the row (answers 1). */
  markDone(m: EntityManager, batchId: string, done: number, detail: object, at: string): Promise<number> {
    return execute(m, `UPDATE "letter_batch" SET "status" = 'done', "done" = $1, "detail" = $2, "finished_at" = $3 WHERE "id" = $4 AND "status" = 'running'`,
      [done, JSON.stringify(detail), at, batchId]);
  }

  markFailed(m: EntityManager, batchId: string, error: string, at: string): Promise<number> {
    return execute(m, `UPDATE "letter_batch" SET "status" = 'failed', "error" = $1, "finished_at" = $2 WHERE "id" = $3 AND "status" = 'running'`,
      [error.slice(0, 500), at, batchId]);
  }

  /** Only a generated batch not yet marked sent is marked (answers 1), so a retried "mark sent" changes nothing. */
  markSent(m: EntityManager, batchId: string, sentOn: string): Promise<number> {
    return execute(m, `UPDATE "letter_batch" SET "sent_on" = $1 WHERE "id" = $2 AND "status" = 'done' AND "sent_on" IS NULL`, [sentOn, batchId]);
  }
}
