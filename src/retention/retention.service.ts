import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { appendIncidentNote } from '../audit/audit-trail';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { localDateIn } from '../domain/rules/calendar';
import { RETENTION_DEFAULTS, retentionCutoff } from '../domain/retention/retention-settings';
import { Lease, LeaseLost, LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { SettingsService } from '../settings/settings.service';
import { DueBatch, DueMessage, RetentionRepository } from './retention.repository';

export interface RemovedFile { name: string; bytes: number; sha256: string }
export interface PurgeReport { ran: boolean; batches: number; letterFiles: number; emlFiles: number }

const PAGE = 50;
const EVERY_MS = 60 * 60_000;

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function filesOf(dir: string): Promise<RemovedFile[]> {
  if (!existsSync(dir)) return [];
  const out: RemovedFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    out.push({ name, bytes: statSync(path).size, sha256: await sha256Of(path) });
  }
  return out;
}

/** The .eml file the file transport wrote for a message id (mail-transport.ts names it so). */
export function emlName(messageId: string): string {
  return `${messageId.replace(/[^A-Za-z0-9.@_-]/g, '')}.eml`;
}

/**
 * The retention job: once the practice sets a number of days (default: keep), the letter PDFs and
 * mailing manifest of a batch marked sent that long ago, and the .eml copies of patients' emails
 * sent that long ago, are removed. Kept (45 CFR 164.530(j): six years): the batch row with its
 * counts and proof, each removed file's name, size and SHA-256 (in the incident's audit trail and
 * in retention_purge), the outbox row. One process at a time: a pass holds the job lease
 * `retention:purge` (src/jobs/lease.service.ts), renewed while it runs and taken by another
 * process's pass only once expired (LEASE_SECONDS); each removal is recorded in the database, in a
 * unit of work that checks the lease is still held, before the files go, so a run cut short leaves
 * files to remove, never a removal unrecorded or recorded twice.
 */
@Injectable()
export class RetentionService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly repo = new RetentionRepository();
  private readonly logger = new Logger('Retention');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly settings: SettingsService,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly leases: LeaseService,
  ) {}

  onApplicationBootstrap(): void {
    // Background work runs only where background sweeps run (the server; not a CLI command or a test).
    if (this.config.reminderPollSeconds <= 0) return;
    this.timer = setInterval(() => void this.purge().catch((e: Error) => this.logger.error(`retention purge failed: ${e.message}`)), EVERY_MS);
    this.timer.unref();
  }

  beforeApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** One run: removes what is past the retention setting, if no other process is running it. */
  async purge(actor = 'breachflow (retention)'): Promise<PurgeReport> {
    const token = await this.runner.transaction((m) => this.leases.tryAcquire(m, 'retention', 'purge'));
    const report: PurgeReport = { ran: token !== null, batches: 0, letterFiles: 0, emlFiles: 0 };
    if (token === null) return report;
    const lease = this.leases.hold('retention', 'purge', token);
    try {
      const settings = { ...RETENTION_DEFAULTS, ...(await this.settings.get()).retention };
      const now = this.clock.now();
      if (settings.letterFilesDays !== null) {
        const cutoff = localDateIn(retentionCutoff(now, settings.letterFilesDays), this.config.timezone)!;
        for (;;) {
          const due = await this.runner.read((m) => this.repo.dueBatches(m, cutoff, PAGE));
          if (!due.length) break;
          for (const b of due) report.letterFiles += await this.purgeBatch(b, actor, settings.letterFilesDays, lease);
          report.batches += due.length;
        }
      }
      if (settings.emlFilesDays !== null) {
        const cutoff = retentionCutoff(now, settings.emlFilesDays).toISOString();
        for (;;) {
          const due = await this.runner.read((m) => this.repo.dueMessages(m, cutoff, PAGE));
          if (!due.length) break;
          report.emlFiles += await this.purgeMessages(due, actor, settings.emlFilesDays, lease);
        }
      }
      return report;
    } finally {
      lease.stop();
      // Lost meanwhile (this process stalled past its lease): the pass that took it over releases it.
      await this.runner.transaction((m) => lease.release(m)).catch((e: Error) => { if (!(e instanceof LeaseLost)) throw e; });
    }
  }

  private async purgeBatch(b: DueBatch, actor: string, days: number, lease: Lease): Promise<number> {
    const dir = join(this.config.lettersDir, b.id);
    const files = await filesOf(dir);
    const at = this.clock.now().toISOString();
    const counts = JSON.parse(b.detail) as { letters?: number; emails?: number; pages?: number };
    const payload = {
      batchId: b.id, sentOn: b.sent_on, retentionDays: days, letters: counts.letters ?? 0, emails: counts.emails ?? 0, pages: counts.pages ?? 0, files,
      kept: 'the batch, its counts and proof of mailing, and each removed file\'s SHA-256 (45 CFR 164.530(j))',
    };
    await this.runner.transaction(async (m) => {
      await lease.assertHeld(m);
      await this.repo.recordPurge(m, { kind: 'letters', ref: b.id, incident_id: b.incident_id, purged_at: at, detail: JSON.stringify(payload) });
      await appendIncidentNote(m, { incidentId: b.incident_id, type: 'retention.letterFilesRemoved', payload, actor, at });
    });
    rmSync(dir, { recursive: true, force: true });
    return files.length;
  }

  private async purgeMessages(due: DueMessage[], actor: string, days: number, lease: Lease): Promise<number> {
    const at = this.clock.now().toISOString();
    const removed: { message: DueMessage; file: RemovedFile | null; path: string }[] = [];
    for (const message of due) {
      const path = join(this.config.outboxDir, emlName(message.message_id));
      removed.push({ message, path, file: existsSync(path) ? { name: emlName(message.message_id), bytes: statSync(path).size, sha256: await sha256Of(path) } : null });
    }
    const byIncident = new Map<string, { messageId: string; sentAt: string; file: RemovedFile | null }[]>();
    for (const r of removed) {
      for (const incidentId of JSON.parse(r.message.incident_ids) as string[]) {
        byIncident.set(incidentId, [...(byIncident.get(incidentId) ?? []), { messageId: r.message.message_id, sentAt: r.message.sent_at, file: r.file }]);
      }
    }
    await this.runner.transaction(async (m) => {
      await lease.assertHeld(m);
      for (const r of removed) {
        const [incidentId] = JSON.parse(r.message.incident_ids) as string[];
        await this.repo.recordPurge(m, { kind: 'eml', ref: r.message.message_id, incident_id: incidentId ?? '', purged_at: at, detail: JSON.stringify({ sentAt: r.message.sent_at, file: r.file }) });
      }
      for (const [incidentId, messages] of byIncident) {
        await appendIncidentNote(m, { incidentId, type: 'retention.emailCopiesRemoved', payload: { retentionDays: days, messages }, actor, at });
      }
    });
    for (const r of removed) if (r.file) rmSync(r.path, { force: true });
    return removed.filter((r) => r.file).length;
  }
}
