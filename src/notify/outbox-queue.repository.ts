import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectRows } from '../persistence/sql';

/** A message for the outbox, as the plan's news queues it. */
export interface QueuedMessage {
  idempotencyKey: string;
  messageId: string;
  incidentIds: string[];
  recipient: string;
  subject: string;
  text: string;
  html: string;
  /** When it may first be sent, and when it was queued (the change's own time). */
  at: string;
}

/**
 * The outbox statements made outside the mail dispatcher: queuing news, and re-sealing patients'
 * messages under a new PHI key. SQL only. The outbox table is the reminders module's (its
 * dispatcher sends from it); at merge these methods belong beside its own repository.
 */
@Injectable()
export class OutboxQueueRepository {
  /** Queues a message once: a second queue with the same idempotency key changes nothing (answers false). */
  async queue(m: EntityManager, r: QueuedMessage): Promise<boolean> {
    const n = await execute(m,
      `INSERT INTO "outbox" ("idempotency_key", "message_id", "incident_ids", "recipient", "subject", "text", "html", "status", "attempts", "next_attempt_at", "created_at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', 0, $8, $8) ON CONFLICT ("idempotency_key") DO NOTHING`,
      [r.idempotencyKey, r.messageId, JSON.stringify(r.incidentIds), r.recipient, r.subject, r.text, r.html, r.at]);
    return n === 1;
  }

  /** Sealed messages after `after` by id, for re-sealing under a new key. */
  sealedAfter(m: EntityManager, after: number, limit: number): Promise<{ id: number; idempotency_key: string; sealed: string }[]> {
    return selectRows(m, 'SELECT "id", "idempotency_key", "sealed" FROM "outbox" WHERE "sealed" IS NOT NULL AND "id" > $1 ORDER BY "id" LIMIT $2', [after, limit]);
  }

  async reseal(m: EntityManager, id: number, sealed: string): Promise<void> {
    await execute(m, 'UPDATE "outbox" SET "sealed" = $1 WHERE "id" = $2', [sealed, id]);
  }
}
