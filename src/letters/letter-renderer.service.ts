import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendIncidentNote } from '../audit/audit-trail';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { letterFor, NoticeModel } from '../domain/letters/documents';
import { deliveryOf } from '../domain/roster/roster';
import { LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RosterService } from '../roster/roster.service';
import { BatchDetail } from './batch-view';
import { csvLine } from './csv';
import { LetterBatchRepository } from './letter-batch.repository';
import { ClaimedFile, FileState, LetterFileRepository, ReadyBatch } from './letter-file.repository';
import { RosterPersonRepository } from '../roster/roster-person.repository';
import { LetterTemplates } from './letter-templates';
import { ENVELOPE } from './pdf-layout';
import { CHUNK, PdfPool } from './pdf-pool';

export const MANIFEST_COLUMNS = ['person', 'file', 'first_page', 'pages', 'letter', 'language', 'addressee', 'address1', 'address2', 'city', 'state', 'postal_code', 'envelope'];
/** A file claimed this many times (its renderers kept stopping) fails its batch instead of looping. */
const MAX_ATTEMPTS = 3;
/** How often an instance looks for files other instances' batches left to render. */
const POLL_MS = 1000;

export const fileName = (no: number) => `letters-${String(no).padStart(4, '0')}.pdf`;
const partName = (no: number) => `.manifest-${String(no).padStart(4, '0')}.csv`;

class ClaimLost extends Error {}

interface BatchContext { notice: NoticeModel; createdAt: string; templates: LetterTemplates }

/**
 * Renders letter batches file by file, in whichever instances have free workers: a file is a
 * claimed row (owner, claim token, lease expiry renewed while it renders), written into LETTERS_DIR
 * (shared storage when several instances run) under a temporary name and renamed when whole, with
 * its share of the manifest beside it. A file whose renderer stopped is claimed again once its
 * lease has expired; the files are deterministic (the batch's letter and creation time), so a late
 * renderer's rename writes the same bytes. The batch is finished (manifest joined, status done,
 * audited) by the instance that finds all its files done, once.
 */
@Injectable()
export class LetterRendererService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Letters');
  private readonly active = new Set<Promise<void>>();
  private readonly contexts = new Map<string, BatchContext>();
  private pool: PdfPool | null = null;
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> | null = null;
  /** A kick came while a pass ran. */
  private again = false;
  private stopped = false;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly roster: RosterService,
    private readonly batchRows: LetterBatchRepository,
    private readonly files: LetterFileRepository,
    private readonly rosterRows: RosterPersonRepository,
    private readonly leases: LeaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.kick(), POLL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.pumping;
    await Promise.allSettled([...this.active]);
    await this.closePool();
  }

  private get capacity(): number {
    // One file per worker, and one claimed ahead so a worker that finishes has its next file at once
    // (the claimed file waits for a free worker before it reads its rows). No workers: this instance renders nothing.
    return this.config.letterWorkers ? this.config.letterWorkers + 1 : 0;
  }

  /**
   * Looks for work now (after a batch is created, and on every poll). A kick while a pass runs asks
   * for one more pass after it: the running pass may have read before the new work was committed.
   * The promise answers when the passes asked for so far are done.
   */
  kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        await this.pump().catch((e: Error) => this.logger.warn(`letter files: ${e.message}`));
      } while (this.again && !this.stopped);
    })().finally(() => { this.pumping = null; });
    return this.pumping;
  }

  /** Until nothing is left that this instance can do: files it can claim, batches it can finish. */
  async settle(): Promise<void> {
    for (;;) {
      await this.kick();
      if (!this.active.size) return;
      await Promise.race([...this.active]);
    }
  }

  private async pump(): Promise<void> {
    // A read first: an instance with nothing to do polls without taking the single writer's lock.
    const claimable = this.active.size < this.capacity && await this.runner.read((m) => this.files.anyClaimable(m, this.clock.now().toISOString()));
    while (claimable && !this.stopped && this.active.size < this.capacity) {
      const now = this.clock.now();
      const expires = new Date(now.getTime() + this.config.leaseSeconds * 1000).toISOString();
      const file = await this.runner.transaction((m) => this.files.claim(m, this.leases.owner, expires, now.toISOString()));
      if (!file) break;
      const job = this.render(file).finally(() => {
        this.active.delete(job);
        if (!this.active.size) void this.closePool();
        void this.kick();
      });
      this.active.add(job);
    }
    if (!this.active.size) await this.finishReady();
  }

  private async render(f: ClaimedFile): Promise<void> {
    const renew = setInterval(() => {
      const expires = new Date(this.clock.now().getTime() + this.config.leaseSeconds * 1000).toISOString();
      void this.runner.transaction((m) => this.files.renew(m, f, expires)).catch(() => undefined);
    }, Math.max(200, (this.config.leaseSeconds * 1000) / 3));
    renew.unref();
    try {
      if (f.attempts > MAX_ATTEMPTS) throw new Error(`file ${f.no} was begun ${MAX_ATTEMPTS} times and never finished; create a new batch`);
      const { pages, letters } = await this.write(f);
      const status = await this.runner.transaction(async (m) => {
        if (!(await this.files.complete(m, f, letters, pages))) throw new ClaimLost();
        return this.recordProgress(m, f.batchId);
      });
      if (status === 'failed') this.removeFiles(f.batchId);
    } catch (e) {
      if (e instanceof ClaimLost) return; // its lease expired and another renderer wrote the same file
      this.logger.error(`letter batch ${f.batchId} failed at file ${f.no}: ${(e as Error).message}`);
      await this.fail(f, (e as Error).message);
    } finally {
      clearInterval(renew);
    }
  }

  /**
   * Writes the file and its share of the manifest under temporary names, then renames them whole.
   * The letters go to a PDF worker a chunk at a time as they are rendered (the pool's bounded
   * queue): a file's letters are never all in memory at once, only its sealed rows and manifest lines.
   */
  private async write(f: ClaimedFile): Promise<{ pages: number; letters: number }> {
    const { notice, createdAt, templates: tpl } = await this.context(f.batchId);
    const file = fileName(f.no);
    const dir = join(this.config.lettersDir, f.batchId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.${file}.${f.claim}.tmp`);
    this.pool ??= new PdfPool(Math.max(1, this.config.letterWorkers));
    // A free worker first: a claimed file waiting for one holds nothing but its claim.
    const pdf = await this.pool.open({ path: tmp, title: `Breach notices ${file}`, createdAt });
    const manifest: string[][] = [];
    try {
      const rows = await this.runner.read((m) => this.rosterRows.inRange(m, f.incidentId, f.batchId, f.firstSeq, f.lastSeq));
      let chunk: string[] = [];
      for (const row of rows) {
        const person = this.roster.openPerson(f.incidentId, row);
        if (deliveryOf(person, row.returned_on !== null) !== 'mail') continue;
        const { variant, model } = letterFor(notice, person);
        const letter = tpl.renderIn(variant, model, person.language);
        chunk.push(letter.text);
        const a = person.address!;
        manifest.push([String(row.seq), file, '', '', variant, letter.language, model.addressee, a.line1, a.line2 ?? '', a.city, a.state, a.postalCode, ENVELOPE]);
        if (chunk.length === CHUNK) { await pdf.write(chunk); chunk = []; }
      }
      await pdf.write(chunk);
    } catch (e) {
      await pdf.abort();
      throw e;
    }
    const { pages, starts } = await pdf.end();
    const part = manifest.map((r, k) => {
      const next = k + 1 < starts.length ? starts[k + 1] : pages + 1;
      r[2] = String(starts[k]);
      r[3] = String(next - starts[k]);
      return csvLine(r);
    }).join('');
    writeFileSync(`${tmp}.csv`, part, { mode: 0o600 });
    renameSync(`${tmp}.csv`, join(dir, partName(f.no)));
    renameSync(tmp, join(dir, file));
    return { pages, letters: manifest.length };
  }

  /** A batch's letter, creation time and templates (compiled once per batch, not once per file). */
  private async context(batchId: string): Promise<BatchContext> {
    let c = this.contexts.get(batchId);
    if (!c) {
      const b = await this.runner.read((m) => this.batchRows.byId(m, batchId));
      if (!b?.notice) throw new Error('the batch has no letter recorded');
      c = { notice: JSON.parse(b.notice) as NoticeModel, createdAt: b.created_at, templates: new LetterTemplates(this.config.templatesOverrideDir) };
      if (this.contexts.size > 50) this.contexts.clear();
      this.contexts.set(batchId, c);
    }
    return c;
  }

  /** The batch's progress from its files' rows, in file order; answers its status. The row locked first, or two renderers finishing files at once lose one's count. */
  private async recordProgress(m: Parameters<LetterFileRepository['ofBatch']>[0], batchId: string): Promise<string | undefined> {
    const b = await this.batchRows.byId(m, batchId, true);
    if (!b) return undefined;
    const detail = detailOf(JSON.parse(b.detail) as BatchDetail, await this.files.ofBatch(m, batchId));
    await this.batchRows.setProgress(m, batchId, detail.emails + detail.letters, detail);
    return b.status;
  }

  /** Batches whose every file is done: the manifest joined from the files' shares, then marked done once. */
  private async finishReady(): Promise<void> {
    const ready = await this.runner.read((m) => this.files.readyBatches(m));
    for (const b of ready) {
      try {
        await this.finish(b);
      } catch (e) {
        this.logger.warn(`letter batch ${b.id}: could not finish it yet (${(e as Error).message}); trying again`);
      }
    }
  }

  private async finish(b: ReadyBatch): Promise<void> {
    const files = await this.runner.read((m) => this.files.ofBatch(m, b.id));
    const dir = join(this.config.lettersDir, b.id);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const tmp = join(dir, `.manifest.${this.leases.owner.replace(/\W+/g, '-')}.tmp`);
    writeFileSync(tmp, csvLine(MANIFEST_COLUMNS), { mode: 0o600 });
    for (const f of files) appendFileSync(tmp, readFileSync(join(dir, partName(f.no))));
    renameSync(tmp, join(dir, 'manifest.csv'));
    // Its people's count and emails were fixed at creation: read them first, so the unit of work
    // begins with its write (a read first could find SQLite's snapshot stale once another instance wrote).
    const row = await this.runner.read((m) => this.batchRows.byId(m, b.id));
    if (!row || row.status !== 'running') return;
    const detail = detailOf(JSON.parse(row.detail) as BatchDetail, files);
    const at = this.clock.now().toISOString();
    const won = await this.runner.transaction(async (m) => {
      if (!(await this.batchRows.markDone(m, b.id, Number(row.total), detail, at))) return false;
      await appendIncidentNote(m, { incidentId: b.incidentId, type: 'letters.batchGenerated', payload: { batchId: b.id, ...detail }, actor: 'breachflow', at });
      return true;
    });
    if (!won) return;
    this.contexts.delete(b.id);
    for (const f of files) rmSync(join(dir, partName(f.no)), { force: true });
    // What a stopped renderer left half-written (never listed, never served).
    for (const name of readdirSync(dir)) if (name.endsWith('.tmp') || name.endsWith('.tmp.csv')) rmSync(join(dir, name), { force: true });
  }

  /**
   * A file that cannot be written fails its batch (its people go into the next one), unless this
   * renderer lost the file's claim meanwhile (the renderer that took it over decides); only the
   * unit that failed the batch removes its files.
   */
  private async fail(f: ClaimedFile, message: string): Promise<void> {
    try {
      const expires = new Date(this.clock.now().getTime() + this.config.leaseSeconds * 1000).toISOString();
      const failed = await this.runner.transaction(async (m) =>
        (await this.files.renew(m, f, expires)) === 1 && (await this.batchRows.markFailed(m, f.batchId, message, this.clock.now().toISOString())) === 1);
      if (failed) this.removeFiles(f.batchId);
    } catch (again) {
      this.logger.error(`letter batch ${f.batchId}: could not record the failure: ${(again as Error).message}`);
    }
  }

  /** A failed batch's partial PDFs and manifest (PHI) are not kept. */
  removeFiles(batchId: string): void {
    rmSync(join(this.config.lettersDir, batchId), { recursive: true, force: true });
  }

  private async closePool(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }
}

/** A batch's detail from its files: letters and pages summed, the files done listed in order. */
function detailOf(before: BatchDetail, files: readonly FileState[]): BatchDetail {
  const done = files.filter((f) => f.status === 'done');
  return {
    letters: done.reduce((n, f) => n + f.letters, 0),
    emails: before.emails ?? 0,
    pages: done.reduce((n, f) => n + f.pages, 0),
    files: done.map((f) => fileName(f.no)),
  };
}
