import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { chunks, execute, placeholders, returning, selectRows, skipLocked } from '../persistence/sql';

export interface OutboxRow {
  id: number;
  idempotency_key: string;
  message_id: string;
  incident_ids: string;
  recipient: string;
  subject: string;
  text: string;
  html: string;
  attempts: number;
  /** A patient's notice: address and letter sealed (PHI), opened only to send. */
  sealed: string | null;
}

export interface NewOutboxMessage {
  key: string;
  messageId: string;
  incidentIds: string[];
  recipient: string;
  subject: string;
  text: string;
  html: string;
}

/** One patient's notice email: sealed (the address and text are PHI), keyed so it is queued once. */
export interface SealedNoticeEmail {
  key: string; messageId: string; incidentIds: string; subject: string; at: string; sealed: string;
}

export interface DeliveryRow {
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string;
}

/** Messages per multi-row INSERT (7 parameters each). */
const MESSAGES_PER_INSERT = 200;

/** SQL of the outbox (messages the dispatcher sends). No decisions: the dispatcher and sweeper make them. */
@Injectable()
export class OutboxRepository {
  /** Queues a message once: the same idempotency key is never queued twice. Answers 1 if queued, 0 if it already was. */
  insertOnce(m: EntityManager, msg: NewOutboxMessage, at: string): Promise<number> {
    return this.insertManyOnce(m, [msg], at);
  }

  /**
   * Queues many messages, each once (a message whose idempotency key is already queued is skipped),
   * in one multi-row INSERT per chunk. Answers how many were queued.
   */
  async insertManyOnce(m: EntityManager, msgs: readonly NewOutboxMessage[], at: string): Promise<number> {
    let queued = 0;
    for (const chunk of chunks(msgs, MESSAGES_PER_INSERT)) {
      // $1 is the time; each message's seven values follow it.
      const values = chunk.map((_, j) => `(${placeholders(7, j * 7 + 2)}, 'pending', 0, $1, $1)`);
      queued += await execute(m,
        `INSERT INTO "outbox" ("idempotency_key", "message_id", "incident_ids", "recipient", "subject", "text", "html", "status", "attempts", "next_attempt_at", "created_at")
         VALUES ${values.join(', ')}
         ON CONFLICT DO NOTHING`,
        [at, ...chunk.flatMap((msg) => [msg.key, msg.messageId, JSON.stringify(msg.incidentIds), msg.recipient, msg.subject, msg.text, msg.html])]);
    }
    return queued;
  }

  /**
   * Patients' notice emails of a mailing, queued in one multi-row INSERT: the address and letter are
   * sealed (PHI), so the clear columns hold placeholders. Answers how many rows it wrote.
   */
  queueSealed(m: EntityManager, rows: readonly SealedNoticeEmail[]): Promise<number> {
    if (!rows.length) return Promise.resolve(0);
    // Each row's seven values (its time twice: next attempt and creation), then the constant columns.
    const values = rows.map((_, i) => `(${placeholders(7, i * 7 + 1)}, '(sealed)', '', '', 'pending')`);
    return execute(m,
      `INSERT INTO "outbox" ("idempotency_key", "message_id", "incident_ids", "subject", "next_attempt_at", "created_at", "sealed", "recipient", "text", "html", "status")
       VALUES ${values.join(', ')}`,
      rows.flatMap((r) => [r.key, r.messageId, r.incidentIds, r.subject, r.at, r.at, r.sealed]));
  }

  /** Sealed messages after `after` by id, for re-sealing under a new PHI key. */
  sealedAfter(m: EntityManager, after: number, limit: number): Promise<{ id: number; idempotency_key: string; sealed: string }[]> {
    return selectRows(m, 'SELECT "id", "idempotency_key", "sealed" FROM "outbox" WHERE "sealed" IS NOT NULL AND "id" > $1 ORDER BY "id" LIMIT $2', [after, limit]);
  }

  async reseal(m: EntityManager, id: number, sealed: string): Promise<void> {
    await execute(m, 'UPDATE "outbox" SET "sealed" = $1 WHERE "id" = $2', [sealed, id]);
  }

  /**
   * Claims the next due message: one statement that re-checks the status in its WHERE, marks it
   * 'sending' and counts the attempt. Two instances never both get it: on PostgreSQL the inner
   * SELECT skips rows another transaction is claiming (SKIP LOCKED) and the outer WHERE re-checks
   * 'pending' after any wait; SQLite has one writer.
   */
  async claimNext(m: EntityManager, now: string): Promise<OutboxRow | null> {
    const [row] = await returning<OutboxRow>(m,
      `UPDATE "outbox" SET "status" = 'sending', "attempts" = "attempts" + 1
       WHERE "status" = 'pending' AND "id" = (
         SELECT "id" FROM "outbox" WHERE "status" = 'pending' AND "next_attempt_at" <= $1
         ORDER BY "next_attempt_at", "id" LIMIT 1${skipLocked(m)})
       RETURNING *`, [now]);
    return row ?? null;
  }

  /** After a lease expired: a message left 'sending' goes back to the queue. */
  requeueStuck(m: EntityManager, id: number): Promise<number> {
    return execute(m, `UPDATE "outbox" SET "status" = 'pending' WHERE "id" = $1 AND "status" = 'sending'`, [id]);
  }

  retryLater(m: EntityManager, id: number, error: string | null, nextAttemptAt: string): Promise<number> {
    return execute(m, `UPDATE "outbox" SET "status" = 'pending', "last_error" = $1, "next_attempt_at" = $2 WHERE "id" = $3`, [error, nextAttemptAt, id]);
  }

  settle(m: EntityManager, id: number, status: 'sent' | 'failed', error: string | null, sentAt: string | null): Promise<number> {
    return execute(m, `UPDATE "outbox" SET "status" = $1, "last_error" = $2, "sent_at" = $3 WHERE "id" = $4`, [status, error, sentAt, id]);
  }

  /** One incident's messages, oldest first (through outbox_incident); sent ones only counted (recipient and subject blanked). */
  deliveriesOf(m: EntityManager, incidentId: string): Promise<DeliveryRow[]> {
    return selectRows<DeliveryRow>(m,
      `SELECT o."status", o."attempts", o."last_error", o."next_attempt_at",
         CASE WHEN o."status" = 'sent' THEN '' ELSE o."recipient" END AS "recipient",
         CASE WHEN o."status" = 'sent' THEN '' ELSE o."subject" END AS "subject"
       FROM "outbox_incident" oi JOIN "outbox" o ON o."id" = oi."outbox_id"
       WHERE oi."incident_id" = $1 ORDER BY o."id"`, [incidentId]);
  }
}
