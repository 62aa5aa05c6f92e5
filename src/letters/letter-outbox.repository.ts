import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute } from '../persistence/sql';

/** One patient's notice email: sealed (the address and text are PHI), keyed so it is queued once. */
export interface SealedNoticeEmail {
  key: string; messageId: string; incidentIds: string; subject: string; at: string; sealed: string;
}

/** The letters' writes to the "outbox" table: notice emails queued in slices, each a multi-row INSERT. */
@Injectable()
export class LetterOutboxRepository {
  queue(m: EntityManager, rows: readonly SealedNoticeEmail[]): Promise<number> {
    if (!rows.length) return Promise.resolve(0);
    const values = rows.map((_, i) => {
      const p = i * 6;
      return `($${p + 1}, $${p + 2}, $${p + 3}, '(sealed)', $${p + 4}, '', '', 'pending', $${p + 5}, $${p + 5}, $${p + 6})`;
    });
    return execute(m,
      `INSERT INTO "outbox" ("idempotency_key", "message_id", "incident_ids", "recipient", "subject", "text", "html", "status", "next_attempt_at", "created_at", "sealed")
       VALUES ${values.join(', ')}`,
      rows.flatMap((r) => [r.key, r.messageId, r.incidentIds, r.subject, r.at, r.sealed]));
  }
}
