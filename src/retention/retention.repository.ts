import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectRows } from '../persistence/sql';

/** SQL of the retention job: what is due, and what it removed (its lease is a job lease, src/jobs). No logic. */

export interface DueBatch { id: string; incident_id: string; sent_on: string; detail: string }
export interface DueMessage { id: number; incident_ids: string; message_id: string; sent_at: string }
export interface PurgeRow { kind: 'letters' | 'eml'; ref: string; incident_id: string; purged_at: string; detail: string }

@Injectable()
export class RetentionRepository {
  /** Batches marked sent before the cutoff day whose files were not removed yet. */
  dueBatches(m: EntityManager, sentBefore: string, limit: number): Promise<DueBatch[]> {
    return selectRows(m, `SELECT b."id", b."incident_id", b."sent_on", b."detail" FROM "letter_batch" b
      WHERE b."sent_on" IS NOT NULL AND b."sent_on" < $1
        AND NOT EXISTS (SELECT 1 FROM "retention_purge" p WHERE p."kind" = 'letters' AND p."ref" = b."id")
      ORDER BY b."sent_on", b."id" LIMIT $2`, [sentBefore, limit]);
  }

  /** Patients' emails (the sealed ones) sent before the cutoff whose .eml copy was not removed yet. */
  dueMessages(m: EntityManager, sentBefore: string, limit: number): Promise<DueMessage[]> {
    return selectRows(m, `SELECT o."id", o."incident_ids", o."message_id", o."sent_at" FROM "outbox" o
      WHERE o."status" = 'sent' AND o."sealed" IS NOT NULL AND o."sent_at" < $1
        AND NOT EXISTS (SELECT 1 FROM "retention_purge" p WHERE p."kind" = 'eml' AND p."ref" = o."message_id")
      ORDER BY o."sent_at", o."id" LIMIT $2`, [sentBefore, limit]);
  }

  async recordPurge(m: EntityManager, r: PurgeRow): Promise<void> {
    await execute(m, `INSERT INTO "retention_purge" ("kind", "ref", "incident_id", "purged_at", "detail") VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT ("kind", "ref") DO NOTHING`, [r.kind, r.ref, r.incident_id, r.purged_at, r.detail]);
  }

  purgesOf(m: EntityManager, incidentId: string): Promise<PurgeRow[]> {
    return selectRows(m, `SELECT "kind", "ref", "incident_id", "purged_at", "detail" FROM "retention_purge" WHERE "incident_id" = $1 ORDER BY "purged_at", "kind", "ref"`, [incidentId]);
  }
}
