import { ConflictException, GoneException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { appendAccessEvent } from '../audit/access-log';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { BatchMailingService } from './batch-mailing.service';
import { BatchView, batchView } from './batch-view';
import { LetterBatchRepository } from './letter-batch.repository';
import { LetterFileRepository } from './letter-file.repository';
import { LetterRendererService } from './letter-renderer.service';
import { RosterPersonRepository } from '../roster/roster-person.repository';
import { NoticeInputs } from './notice-inputs.service';

/**
 * The individuals' letters in batches: PDF files of bounded size (LETTERS_PER_FILE, so memory stays
 * flat and a print house gets files it can open) and a mailing manifest, rendered by
 * LetterRendererService in any instance, then marked sent.
 */
@Injectable()
export class LetterBatchService {

  constructor(
    private readonly runner: TransactionRunner,
    private readonly noticeInputs: NoticeInputs,
    private readonly batchRows: LetterBatchRepository,
    private readonly rosterRows: RosterPersonRepository,
    private readonly fileRows: LetterFileRepository,
    private readonly renderer: LetterRendererService,
    private readonly mailing: BatchMailingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly leases: LeaseService,
  ) {
    // A batch begun before batches were cut into files held one job lease for the whole: once that
    // lease expired, it is marked failed (its people go into the next batch) and its partial files
    // removed, so no half batch can be downloaded or mailed. Batches cut into files never hold one.
    leases.onExpired('letter_batch', async (m, batchId) => {
      await this.batchRows.markFailed(m, batchId, 'interrupted: its process stopped before the batch was finished; create a new batch', this.clock.now().toISOString());
      return () => this.renderer.removeFiles(batchId);
    });
  }

  async createBatch(id: string, actor: Actor): Promise<BatchView> {
    const batchId = randomUUID();
    await this.leases.recoverExpired(); // a batch from before files, whose process died, no longer blocks a new one
    await this.runner.transaction(async (m) => {
      // Locked first (PostgreSQL): of two batches created at once, the second sees the first running.
      const model = this.noticeInputs.notice(await this.noticeInputs.inputs(m, id, true));
      const running = await this.batchRows.runningOf(m, id);
      if (running) throw new ConflictException({ errors: [{ path: 'batch', message: `batch ${running} is still being generated; wait for it` }] });
      const now = this.clock.now().toISOString();
      await this.batchRows.supersedeUnsent(m, id);
      await this.batchRows.insertRunning(m, { id: batchId, incidentId: id, actor: actor.id, at: now });
      await this.rosterRows.assignToBatch(m, id, batchId);
      const { people, emails } = await this.rosterRows.batchCounts(m, id, batchId);
      if (!people) throw new UnprocessableEntityException({ errors: [{ path: 'roster', message: 'no one on the roster is waiting for a letter: upload the roster first, or every reachable person is in a batch already sent' }] });
      await this.batchRows.setTotal(m, batchId, people, { letters: 0, emails, pages: 0, files: [] }, JSON.stringify(model));
      // Cut into files of bounded size, each a row any instance's renderer can claim.
      await this.fileRows.plan(m, batchId, id, await this.rosterRows.fileRanges(m, id, batchId, this.config.lettersPerFile));
      await appendIncidentNote(m, { incidentId: id, type: 'letters.batchCreated', payload: { batchId, people }, actor: actor.id, at: now });
    });
    void this.renderer.kick();
    return this.batch(id, batchId);
  }

  /** Waits until this instance has nothing left to render or finish (tests, the CLI). */
  settle(): Promise<void> {
    return this.renderer.settle();
  }

  async batch(id: string, batchId: string): Promise<BatchView> {
    const row = await this.runner.read((m) => this.batchRows.find(m, id, batchId));
    if (!row) throw new NotFoundException({ errors: [{ path: 'batchId', message: 'no such letter batch for this incident' }] });
    return batchView(row);
  }

  async batches(id: string): Promise<BatchView[]> {
    return (await this.runner.read((m) => this.batchRows.ofIncident(m, id))).map(batchView);
  }

  /**
   * The path of one of a batch's files, by a name the batch lists (never a path from the request),
   * after recording who downloads it (the files hold PHI).
   */
  async batchFile(id: string, batchId: string, name: string, actor: Actor): Promise<string> {
    const b = await this.batch(id, batchId);
    if (name !== 'manifest.csv' && !b.files.includes(name)) throw new NotFoundException({ errors: [{ path: 'name', message: `no file ${JSON.stringify(name.slice(0, 40))} in this batch` }] });
    if (b.status === 'failed') throw new NotFoundException({ errors: [{ path: 'batchId', message: 'the batch failed; its partial files were removed' }] });
    const path = join(this.config.lettersDir, batchId, name);
    if (!existsSync(path)) {
      // The retention setting removes a sent batch's files; what 164.530(j) needs is kept in the trail.
      if (b.sentOn) throw new GoneException({ errors: [{ path: 'name', message: `this file is no longer kept: the practice's retention setting removed the batch's files after it was mailed on ${b.sentOn}; each file's SHA-256, the counts and the proof of mailing are in the incident's audit trail` }] });
      throw new NotFoundException({ errors: [{ path: 'name', message: 'this file is not on disk yet (the batch is still being rendered) or was removed' }] });
    }
    await this.runner.transaction((m) => appendAccessEvent(m, { type: 'letters.fileDownloaded', actor: actor.id, at: this.clock.now().toISOString(), subject: id, detail: { batchId, file: name } }));
    return path;
  }

  /** The batch went out: its emails queued and the proof recorded (BatchMailingService). */
  async markSent(id: string, batchId: string, actor: Actor, body: unknown): Promise<BatchView> {
    const sent = this.mailing.checkSent(body);
    await this.mailing.markSent(id, await this.batch(id, batchId), actor, sent);
    return this.batch(id, batchId);
  }
}
