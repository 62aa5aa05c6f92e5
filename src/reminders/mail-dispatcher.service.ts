import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appendIncidentNote } from '../audit/audit-trail';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { Lease, LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { PHI_CIPHER, PhiCipher } from '../roster/phi-cipher';
import { isPermanentFailure, MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { OutboxRepository, OutboxRow } from './outbox.repository';

export interface DispatchResult {
  sent: number;
  retrying: number;
  failed: number;
}

function errorText(e: unknown): string {
  const err = e as { responseCode?: number; code?: string; message?: string };
  // SMTP replies can echo the address; they never hold PHI (messages carry none).
  return [err.responseCode, err.code, err.message].filter(Boolean).join(' ').slice(0, 500);
}

/**
 * Sends the outbox one message at a time. A message is marked "sending" with a lease (committed)
 * before it goes out and "sent" after; a crash between the two leaves it "sending" under a lease
 * nobody renews, and once that expires any process puts it back in the queue: at most the one
 * message in flight can arrive twice, and its Message-ID (derived from the idempotency key) lets a
 * receiver drop the repeat. Nothing is lost, and a message another process is sending is left alone.
 */
@Injectable()
export class MailDispatcher {
  private readonly logger = new Logger('MailDispatcher');

  constructor(
    private readonly runner: TransactionRunner,
    @Inject(MAIL_TRANSPORT) private readonly transport: MailTransport,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
    private readonly leases: LeaseService,
    private readonly outbox: OutboxRepository,
  ) {
    leases.onExpired('outbox', async (m, id) => {
      await this.outbox.requeueStuck(m, Number(id));
    });
  }

  async dispatchDue(limit = Number.POSITIVE_INFINITY): Promise<DispatchResult> {
    const result: DispatchResult = { sent: 0, retrying: 0, failed: 0 };
    for (let n = 0; n < limit; n++) {
      const claimed = await this.claim();
      if (!claimed) break;
      const { row, lease } = claimed;
      try {
        await this.sendOne(row, lease, result);
      } finally {
        lease.stop();
      }
    }
    return result;
  }

  private async sendOne(row: OutboxRow, lease: Lease, result: DispatchResult): Promise<void> {
    try {
      // A patient's message comes from the practice (its name and address, sealed with the message).
      const mail = row.sealed ? this.cipher.open<{ from?: string; to: string; subject: string; text: string; html: string }>(row.sealed, `outbox/${row.idempotency_key}`) : null;
      await this.transport.send(mail
        ? { from: mail.from ?? this.config.smtpFrom, to: mail.to, subject: mail.subject, text: mail.text, html: mail.html, messageId: row.message_id, requireTls: true }
        : { from: this.config.smtpFrom, to: row.recipient, subject: row.subject, text: row.text, html: row.html, messageId: row.message_id });
      await this.settle(row, lease, 'sent', null);
      result.sent += 1;
    } catch (e) {
      const permanent = isPermanentFailure(e);
      const final = permanent || row.attempts >= this.config.reminders.retry.maxAttempts;
      // An SMTP reply can echo the address: a patient's is PHI, so it is left out.
      await this.settle(row, lease, final ? 'failed' : 'retry', row.sealed ? `${(e as { responseCode?: number }).responseCode ?? ''} delivery to the patient's address failed`.trim() : errorText(e));
      if (final) result.failed += 1;
      else result.retrying += 1;
    }
  }

  private async claim(): Promise<{ row: OutboxRow; lease: Lease } | null> {
    const claimed = await this.runner.transaction(async (m) => {
      // One conditional statement: the row is claimed only if it is still pending (and, on
      // PostgreSQL, not being claimed by another instance), with its attempt counted.
      const row = await this.outbox.claimNext(m, this.clock.now().toISOString());
      if (!row) return null;
      const token = await this.leases.acquire(m, 'outbox', String(row.id));
      return { row: { ...row, attempts: Number(row.attempts) }, token };
    });
    return claimed && { row: claimed.row, lease: this.leases.hold('outbox', String(claimed.row.id), claimed.token) };
  }

  private settle(row: OutboxRow, lease: Lease, outcome: 'sent' | 'retry' | 'failed', error: string | null): Promise<void> {
    return this.runner.transaction(async (m: EntityManager) => {
      await lease.release(m);
      const now = this.clock.now();
      if (outcome === 'retry') {
        const backoff = this.config.reminders.retry.retryBackoffMinutes;
        const minutes = backoff[Math.min(row.attempts - 1, backoff.length - 1)];
        await this.outbox.retryLater(m, row.id, error, new Date(now.getTime() + minutes * 60_000).toISOString());
        this.logger.warn(`message ${row.id} not delivered (attempt ${row.attempts}), retrying in ${minutes} min: ${error}`);
        return;
      }
      await this.outbox.settle(m, row.id, outcome, error, outcome === 'sent' ? now.toISOString() : null);
      if (outcome === 'failed') this.logger.error(`message ${row.id} failed for good after ${row.attempts} attempt(s): ${error}`);
      const payload = { messageId: row.message_id, recipient: row.recipient, subject: row.subject, attempts: row.attempts, ...(error ? { error } : {}) };
      for (const incidentId of JSON.parse(row.incident_ids) as string[]) {
        const kind = row.sealed ? 'notice.email' : row.idempotency_key.startsWith('news:') ? 'news' : 'reminder';
        await appendIncidentNote(m, { incidentId, type: `${kind}.${outcome === 'sent' ? 'sent' : 'failed'}`, payload, actor: 'breachflow', at: now.toISOString() });
      }
    });
  }
}
