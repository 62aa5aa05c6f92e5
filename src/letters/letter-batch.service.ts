import { ConflictException, Inject, Injectable, Logger, NotFoundException, OnApplicationShutdown, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, WriteStream } from 'node:fs';
import { join } from 'node:path';
import { appendAccessEvent } from '../audit/access-log';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { letterFor, NoticeModel } from '../domain/letters/documents';
import { deliveryOf } from '../domain/roster/roster';
import { Lease, LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RosterService } from '../roster/roster.service';
import { BatchMailingService } from './batch-mailing.service';
import { BatchDetail, BatchView, batchView } from './batch-view';
import { csvLine } from './csv';
import { LetterBatchRepository } from './letter-batch.repository';
import { LetterRosterRepository } from './letter-roster.repository';
import { NoticeInputs } from './notice-inputs.service';
import { ENVELOPE } from './pdf-layout';
import { PdfPool } from './pdf-pool';

/** Letters per PDF file: bounded, so memory stays flat and a print house gets files it can open. */
const LETTERS_PER_FILE = 1000;
const MANIFEST_COLUMNS = ['person', 'file', 'first_page', 'pages', 'letter', 'language', 'addressee', 'address1', 'address2', 'city', 'state', 'postal_code', 'envelope'];

/** The individuals' letters in batches: PDF files of bounded size and a mailing manifest, then marked sent. */
@Injectable()
export class LetterBatchService implements OnApplicationShutdown {
  private readonly logger = new Logger('Letters');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly runner: TransactionRunner,
    private readonly roster: RosterService,
    private readonly noticeInputs: NoticeInputs,
    private readonly batchRows: LetterBatchRepository,
    private readonly rosterRows: LetterRosterRepository,
    private readonly mailing: BatchMailingService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly leases: LeaseService,
  ) {
    // A batch whose process stopped renewing its lease is marked failed (its people go into the
    // next batch) and its partial files removed, so no half batch can be downloaded or mailed.
    leases.onExpired('letter_batch', async (m, batchId) => {
      await this.batchRows.markFailed(m, batchId, 'interrupted: its process stopped before the batch was finished; create a new batch', this.clock.now().toISOString());
      return () => this.removeFiles(batchId);
    });
  }

  /** A failed batch's partial PDFs and manifest (PHI) are not kept. */
  private removeFiles(batchId: string): void {
    rmSync(join(this.config.lettersDir, batchId), { recursive: true, force: true });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  async createBatch(id: string, actor: Actor): Promise<BatchView> {
    const batchId = randomUUID();
    await this.leases.recoverExpired();
    let token = '';
    const notice = await this.runner.transaction(async (m) => {
      const model = this.noticeInputs.notice(await this.noticeInputs.inputs(m, id));
      const running = await this.batchRows.runningOf(m, id);
      if (running) throw new ConflictException({ errors: [{ path: 'batch', message: `batch ${running} is still being generated; wait for it` }] });
      const now = this.clock.now().toISOString();
      await this.batchRows.supersedeUnsent(m, id);
      await this.batchRows.insertRunning(m, { id: batchId, incidentId: id, actor: actor.id, at: now });
      await this.rosterRows.assignToBatch(m, id, batchId);
      const { people, emails } = await this.rosterRows.batchCounts(m, id, batchId);
      if (!people) throw new UnprocessableEntityException({ errors: [{ path: 'roster', message: 'no one on the roster is waiting for a letter: upload the roster first, or every reachable person is in a batch already sent' }] });
      await this.batchRows.setTotal(m, batchId, people, { letters: 0, emails, pages: 0, files: [] });
      await appendIncidentNote(m, { incidentId: id, type: 'letters.batchCreated', payload: { batchId, people }, actor: actor.id, at: now });
      token = await this.leases.acquire(m, 'letter_batch', batchId);
      return model;
    });
    const lease = this.leases.hold('letter_batch', batchId, token);
    const job = this.generate(id, batchId, notice, lease).catch(async (e: Error) => {
      this.logger.error(`letter batch ${batchId} failed: ${e.message}`);
      if (lease.lost) return; // the process that took it over has marked it failed
      try {
        await this.runner.transaction(async (m) => {
          await lease.release(m);
          await this.batchRows.markFailed(m, batchId, e.message, this.clock.now().toISOString());
        });
        this.removeFiles(batchId);
      } catch (again) {
        // The database refused even this (locked by another process): the lease expires and any process repairs it.
        this.logger.error(`letter batch ${batchId}: could not record the failure: ${(again as Error).message}`);
      }
    }).finally(() => lease.stop());
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
    return this.batch(id, batchId);
  }

  /** Waits for batches being generated (tests, the CLI). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async generate(incidentId: string, batchId: string, notice: NoticeModel, lease: Lease): Promise<void> {
    const dir = join(this.config.lettersDir, batchId);
    mkdirSync(this.config.lettersDir, { recursive: true, mode: 0o700 });
    mkdirSync(dir, { mode: 0o700 });
    const tpl = this.noticeInputs.templates();
    const manifest = createWriteStream(join(dir, 'manifest.csv'), { mode: 0o600 });
    manifest.write(csvLine(MANIFEST_COLUMNS));
    const pool = new PdfPool();
    const detail: BatchDetail = { letters: 0, emails: 0, pages: 0, files: [] };
    let done = 0;
    type Chunk = { file: string; letters: string[]; rows: string[][] };
    let chunk: Chunk | null = null;
    const inFlight: { chunk: Chunk; result: Promise<{ pages: number; starts: number[] }> }[] = [];
    const settleOldest = async () => {
      const { chunk: c, result } = inFlight.shift()!;
      const { pages, starts } = await result;
      for (const [k, row] of c.rows.entries()) {
        const last = k + 1 < starts.length ? starts[k + 1] : pages + 1;
        row[2] = String(starts[k]);
        row[3] = String(last - starts[k]);
        manifest.write(csvLine(row));
      }
      detail.pages += pages;
      detail.files.push(c.file);
      done += c.letters.length;
      await this.runner.transaction(async (m) => {
        await lease.assertHeld(m);
        await this.batchRows.setProgress(m, batchId, done, detail);
      });
    };
    const launch = async () => {
      if (!chunk) return;
      const c = chunk;
      chunk = null;
      inFlight.push({ chunk: c, result: pool.render({ path: join(dir, c.file), title: `Breach notices ${c.file}`, letters: c.letters }) });
      if (inFlight.length >= pool.size * 2) await settleOldest();
    };
    try {
      for await (const page of this.roster.people(incidentId, batchId)) {
        for (const { seq, person, returnedOn } of page) {
          if (deliveryOf(person, returnedOn !== null) !== 'mail') {
            detail.emails++;
            done++;
            continue;
          }
          const { variant, model } = letterFor(notice, person);
          chunk ??= { file: `letters-${String(detail.files.length + inFlight.length + 1).padStart(4, '0')}.pdf`, letters: [], rows: [] };
          const letter = tpl.renderIn(variant, model, person.language);
          chunk.letters.push(letter.text);
          const a = person.address!;
          chunk.rows.push([String(seq), chunk.file, '', '', variant, letter.language, model.addressee, a.line1, a.line2, a.city, a.state, a.postalCode, ENVELOPE]);
          detail.letters++;
          if (chunk.letters.length >= LETTERS_PER_FILE) await launch();
        }
      }
      await launch();
      while (inFlight.length) await settleOldest();
    } finally {
      await pool.close();
      await closeStream(manifest);
    }
    await this.runner.transaction(async (m) => {
      await lease.release(m);
      const at = this.clock.now().toISOString();
      await this.batchRows.markDone(m, batchId, done, detail, at);
      await appendIncidentNote(m, { incidentId, type: 'letters.batchGenerated', payload: { batchId, ...detail }, actor: 'breachflow', at });
    });
  }

  async batch(id: string, batchId: string): Promise<BatchView> {
    const row = await this.runner.read((m) => this.batchRows.find(m, id, batchId));
    if (!row) throw new NotFoundException({ errors: [{ path: 'batchId', message: 'no such letter batch for this incident' }] });
    return batchView(row);
  }

  async batches(id: string): Promise<BatchView[]> {
    return (await this.runner.read((m) => this.batchRows.ofIncident(m, id))).map(batchView);
  }

  /** The path of one of a batch's files, by a name the batch lists (never a path from the request). */
  async batchFile(id: string, batchId: string, name: string, actor?: Actor): Promise<string> {
    const b = await this.batch(id, batchId);
    if (name !== 'manifest.csv' && !b.files.includes(name)) throw new NotFoundException({ errors: [{ path: 'name', message: `no file ${JSON.stringify(name.slice(0, 40))} in this batch` }] });
    if (b.status === 'failed') throw new NotFoundException({ errors: [{ path: 'batchId', message: 'the batch failed; its partial files were removed' }] });
    if (actor) {
      await this.runner.transaction((m) => appendAccessEvent(m, { type: 'letters.fileDownloaded', actor: actor.id, at: this.clock.now().toISOString(), subject: id, detail: { batchId, file: name } }));
    }
    return join(this.config.lettersDir, batchId, name);
  }

  /** The batch went out: its emails queued and the proof recorded (BatchMailingService). */
  async markSent(id: string, batchId: string, actor: Actor, body: unknown): Promise<BatchView> {
    const sent = this.mailing.checkSent(body);
    await this.mailing.markSent(id, await this.batch(id, batchId), actor, sent);
    return this.batch(id, batchId);
  }
}

function closeStream(s: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
