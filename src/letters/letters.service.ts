import {
  ConflictException, Inject, Injectable, Logger, NotFoundException, OnApplicationShutdown, UnprocessableEntityException,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync, WriteStream } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import { appendAccessEvent } from '../audit/access-log';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import {
  DocumentInputs, insurerModel, letterFor, longDate, mediaModel, MissingElement, NoticeModel, noticeModel, substituteModel,
  baNoticeModel,
} from '../domain/letters/documents';
import { annualLogRow, ANNUAL_LOG_COLUMNS, hhsReport } from '../domain/letters/hhs-report';
import { checkNoticeContent, mergeNoticeContent, NoticeContent, NoticeContentPatch } from '../domain/letters/notice-content';
import { openLegalObligations } from '../domain/lifecycle/tracking';
import { isLocalDate, localDateIn } from '../domain/rules/calendar';
import { Jurisdiction, JURISDICTIONS } from '../domain/rules/facts';
import { formatCount } from '../domain/rules/format';
import { deliveryOf, RosterPerson } from '../domain/roster/roster';
import { Checker } from '../domain/validation';
import { IncidentsService } from '../incidents/incidents.service';
import { Lease, LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { messageIdFor } from '../reminders/reminder-sweeper.service';
import { PHI_CIPHER, PhiCipher } from '../roster/phi-cipher';
import { RosterService } from '../roster/roster.service';
import { SettingsService } from '../settings/settings.service';
import { csvLine } from './csv';
import { LetterTemplate, LetterTemplates, markupToHtml, plainText } from './letter-templates';
import { HhsPage, hhsMarkup, hhsPage } from './hhs-page';
import { ENVELOPE, pdfBuffer } from './pdf-layout';
import { PdfPool } from './pdf-pool';

export const DOCUMENTS = ['individual-notice', 'substitute-notice', 'media-notice', 'hhs-report', 'ba-notice', 'insurer-notice'] as const;
export type DocumentName = (typeof DOCUMENTS)[number];
export type Rendered = { contentType: string; body: string | Buffer; filename: string };

export interface BatchView {
  id: string;
  status: 'running' | 'done' | 'failed' | 'superseded';
  total: number;
  done: number;
  letters: number;
  emails: number;
  pages: number;
  files: string[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  sentOn: string | null;
}

interface BatchRow {
  id: string; status: BatchView['status']; total: number; done: number; detail: string; error: string | null;
  created_at: string; finished_at: string | null; sent_on: string | null;
}

/** Letters per PDF file: bounded, so memory stays flat and a print house gets files it can open. */
const LETTERS_PER_FILE = 1000;
const MANIFEST_COLUMNS = ['person', 'file', 'first_page', 'pages', 'letter', 'language', 'addressee', 'address1', 'address2', 'city', 'state', 'postal_code', 'envelope'];

function missingError(missing: MissingElement[]): UnprocessableEntityException {
  return new UnprocessableEntityException({
    error: 'required_elements_missing',
    errors: missing.map((m) => ({ path: m.field, message: `missing: ${m.element} (${m.citation})` })),
  });
}

/**
 * Every document a breach needs, from templates: the individuals' letters (batch PDF + manifest,
 * email where agreed), substitute and media notices, the HHS report, the BA's notice and the
 * insurer's first notice of loss. A letter missing a required element is not rendered.
 */
@Injectable()
export class LettersService implements OnApplicationShutdown {
  private readonly logger = new Logger('Letters');
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly runner: TransactionRunner,
    private readonly incidents: IncidentsService,
    private readonly roster: RosterService,
    private readonly settings: SettingsService,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly leases: LeaseService,
  ) {
    // A batch whose process stopped renewing its lease is marked failed (its people go into the
    // next batch) and its partial files removed, so no half batch can be downloaded or mailed.
    leases.onExpired('letter_batch', async (m, batchId) => {
      await m.query(`UPDATE "letter_batch" SET "status" = 'failed', "error" = 'interrupted: its process stopped before the batch was finished; create a new batch', "finished_at" = ?
        WHERE "id" = ? AND "status" = 'running'`, [this.clock.now().toISOString(), batchId]);
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

  /** Read per use, so a practice's override templates apply without a restart. */
  private templates(): LetterTemplates {
    return new LetterTemplates(this.config.templatesOverrideDir);
  }

  private today(): string {
    return localDateIn(this.clock.now(), this.config.timezone)!;
  }

  async content(id: string): Promise<NoticeContent> {
    return this.runner.read(async (m) => {
      await this.incidents.load(m, id);
      return this.readContent(m, id);
    });
  }

  private async readContent(m: EntityManager, id: string): Promise<NoticeContent> {
    const [row]: { content: string }[] = await m.query('SELECT "content" FROM "notice_content" WHERE "incident_id" = ?', [id]);
    return row ? (JSON.parse(row.content) as NoticeContent) : {};
  }

  /** The notice content checked, every bad field named (a 422), before anything is written. */
  checkContent(body: unknown): NoticeContentPatch {
    const c = new Checker();
    const patch = checkNoticeContent(c, body);
    if (!c.ok || !patch) throw new UnprocessableEntityException({ errors: c.errors });
    return patch;
  }

  /** Saves the fields the body names, keeping the others (a partial save erases nothing). */
  async putContent(id: string, actor: Actor, body: unknown): Promise<NoticeContent> {
    const patch = this.checkContent(body);
    return this.runner.transaction((m) => this.putContentIn(m, id, actor, patch));
  }

  /** Writes checked content inside a unit of work already running (the report form's), merged with what is there. */
  async putContentIn(m: EntityManager, id: string, actor: Actor, patch: NoticeContentPatch): Promise<NoticeContent> {
    await this.incidents.load(m, id);
    const content = mergeNoticeContent(await this.readContent(m, id), patch);
    const at = this.clock.now().toISOString();
    await m.query(
      `INSERT INTO "notice_content" ("incident_id", "content", "updated_by", "updated_at") VALUES (?, ?, ?, ?)
       ON CONFLICT ("incident_id") DO UPDATE SET "content" = excluded."content", "updated_by" = excluded."updated_by", "updated_at" = excluded."updated_at"`,
      [id, JSON.stringify(content), actor.id, at]);
    await appendIncidentNote(m, { incidentId: id, type: 'notice.contentUpdated', payload: content, actor: actor.id, at });
    return content;
  }

  private async inputs(m: EntityManager, id: string): Promise<DocumentInputs> {
    const { snapshot } = await this.incidents.load(m, id);
    const settings = await this.settings.read(m);
    return { practiceName: settings.practiceName, contact: settings.contact, content: await this.readContent(m, id), context: snapshot.context, today: this.today() };
  }

  private notice(i: DocumentInputs): NoticeModel {
    const n = noticeModel(i);
    if (!n.ok) throw missingError(n.missing);
    return n.model;
  }

  /** A document, its reading audited (who, which document, which person's number; never the content). */
  async document(id: string, name: string, query: Record<string, unknown>, actor?: Actor): Promise<Rendered> {
    const doc = await this.render(id, name, query);
    if (actor) {
      const person = query.person === undefined ? null : Number(query.person);
      await this.recordAccess(actor, person ? 'roster.personRead' : 'document.exported', id, { document: name, format: query.format ?? null, ...(person ? { person } : {}) });
    }
    return doc;
  }

  private recordAccess(actor: Actor, type: 'roster.personRead' | 'document.exported' | 'letters.fileDownloaded', incidentId: string, detail: Record<string, unknown>): Promise<void> {
    return this.runner.transaction((m) => appendAccessEvent(m, { type, actor: actor.id, at: this.clock.now().toISOString(), subject: incidentId, detail }));
  }

  private async render(id: string, name: string, query: Record<string, unknown>): Promise<Rendered> {
    const c = new Checker();
    const doc = c.oneOf(name, 'document', DOCUMENTS);
    const format = query.format === undefined ? (doc === 'hhs-report' ? 'json' : 'text') : c.oneOf(query.format, 'format', doc === 'hhs-report' ? ['json', 'html', 'pdf'] as const : ['text', 'html', 'pdf'] as const);
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    const i = await this.runner.read((m) => this.inputs(m, id));
    const ref = i.context.reference;
    const tpl = this.templates();
    if (doc === 'hhs-report') {
      const report = hhsReport(i.context, i.content, i.practiceName, i.contact);
      if (format === 'json') return { contentType: 'application/json', body: JSON.stringify(report, null, 2), filename: `${ref}-hhs-report.json` };
      const page = hhsPage(ref, longDate(i.today), report);
      if (format === 'pdf') return { contentType: 'application/pdf', body: await pdfBuffer(`HHS breach report: ${ref}`, [hhsMarkup(page)]), filename: `${ref}-hhs-report.pdf` };
      return { contentType: 'text/html; charset=utf-8', body: tpl.render('hhs-report.html', page), filename: `${ref}-hhs-report.html` };
    }
    const { template, model, title, letters } = await this.textDocument(id, doc!, i, query, tpl);
    const texts = letters ?? [tpl.render(template, model)];
    const file = `${ref}-${doc}`;
    if (format === 'pdf') return { contentType: 'application/pdf', body: await pdfBuffer(title, texts), filename: `${file}.pdf` };
    if (format === 'html') return { contentType: 'text/html; charset=utf-8', body: markupToHtml(texts.join('\n\n'), title), filename: `${file}.html` };
    return { contentType: 'text/plain; charset=utf-8', body: texts.map(plainText).join('\n\f\n'), filename: `${file}.txt` };
  }

  /** The HHS report as the web page shows it: the portal's questions in words, and what is missing. */
  async hhsReportPage(id: string): Promise<HhsPage> {
    const i = await this.runner.read((m) => this.inputs(m, id));
    return hhsPage(i.context.reference, longDate(i.today), hhsReport(i.context, i.content, i.practiceName, i.contact));
  }

  private async textDocument(id: string, doc: Exclude<DocumentName, 'hhs-report'>, i: DocumentInputs, query: Record<string, unknown>, tpl: LetterTemplates):
    Promise<{ template: LetterTemplate; model: object; title: string; letters?: string[] }> {
    const refuse = (path: string, message: string) => new UnprocessableEntityException({ errors: [{ path, message }] });
    switch (doc) {
      case 'individual-notice': {
        const notice = this.notice(i);
        const person = query.person === undefined ? undefined : Number(query.person);
        if (person === undefined) {
          // A sample for review: placeholders where a person's details go.
          return { template: 'individual', title: 'Notice of a data breach (sample)', model: { ...notice, addressee: '[Name]', addressLines: ['[Street address]', '[City, State ZIP]'], patientName: '[Name]', roleWords: null } };
        }
        if (!Number.isInteger(person) || person < 1) throw refuse('person', 'must be a person number from the roster');
        const found = await this.roster.person(id, person);
        if (found) {
          const { variant, model } = letterFor(notice, found);
          return { template: variant, model, title: 'Notice of a data breach', letters: [tpl.renderIn(variant, model, found.language).text] };
        }
        throw refuse('person', `no person ${person} on this incident's roster`);
      }
      case 'substitute-notice': {
        const notice = this.notice(i);
        const postingStart = query.postingStart === undefined ? i.today : query.postingStart;
        if (!isLocalDate(postingStart)) throw refuse('postingStart', 'must be a calendar date written YYYY-MM-DD');
        const s = substituteModel(notice, i, postingStart);
        if (!s.ok) throw refuse('document', s.reason);
        if (s.model.form === 'alternative') return { template: 'substitute-alternative', model: s.model, title: 'Alternative notice' };
        return { template: 'substitute-web', model: s.model, title: 'Substitute notice', letters: [tpl.render('substitute-web', s.model), tpl.render('substitute-media', s.model)] };
      }
      case 'media-notice': {
        const j = typeof query.jurisdiction === 'string' ? query.jurisdiction.toUpperCase() : '';
        if (!(JURISDICTIONS as readonly string[]).includes(j)) throw refuse('jurisdiction', 'must be a state, DC or territory code, e.g. ?jurisdiction=CA');
        const r = mediaModel(this.notice(i), i, j as Jurisdiction);
        if (!r.ok) throw refuse('jurisdiction', r.reason);
        return { template: 'media-release', model: r.model, title: `Media notice: ${r.model.jurisdiction}` };
      }
      case 'ba-notice':
        return { template: 'ba-notice', model: await this.baModel(id, i), title: 'Business associate notice of breach' };
      case 'insurer-notice': {
        const r = insurerModel(i);
        if (!r.ok) throw missingError(r.missing);
        return { template: 'insurer-fnol', model: r.model, title: 'First notice of loss' };
      }
    }
  }

  private async baModel(id: string, i: DocumentInputs): Promise<object> {
    const people: { seq: number; person: RosterPerson }[] = [];
    for await (const page of this.roster.people(id)) people.push(...page);
    const r = baNoticeModel(i, people);
    if (!r.ok) throw r.missing ? missingError(r.missing) : new UnprocessableEntityException({ errors: [{ path: 'document', message: r.reason }] });
    return r.model;
  }

  async annualLog(yearText: unknown): Promise<string> {
    const year = typeof yearText === 'string' && /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= 2009 && year <= 2100)) throw new UnprocessableEntityException({ errors: [{ path: 'year', message: 'must be a calendar year, e.g. ?year=2026' }] });
    const rows = await this.runner.read(async (m) => {
      const ids: { id: string }[] = await m.query('SELECT "id" FROM "incident" ORDER BY "created_at"');
      const out: string[] = [];
      for (const { id } of ids) {
        const { snapshot } = await this.incidents.load(m, id);
        const ctx = snapshot.context;
        const hhs = ctx.plan.obligations.find((o) => o.regime === 'HIPAA' && o.audience === 'hhs');
        if (hhs?.track !== 'annual_log' || !ctx.plan.discoveryDate.startsWith(`${year}-`)) continue;
        const row = annualLogRow(ctx, await this.readContent(m, id));
        out.push(csvLine(ANNUAL_LOG_COLUMNS.map((k) => row[k])));
      }
      return out;
    });
    return [csvLine([...ANNUAL_LOG_COLUMNS]), ...rows].join('');
  }

  // ---- batches ----------------------------------------------------------------------------

  async createBatch(id: string, actor: Actor): Promise<BatchView> {
    const batchId = randomUUID();
    await this.leases.recoverExpired();
    let token = '';
    const notice = await this.runner.transaction(async (m) => {
      const i = await this.inputs(m, id);
      const model = this.notice(i);
      const [running]: { id: string }[] = await m.query(`SELECT "id" FROM "letter_batch" WHERE "incident_id" = ? AND "status" = 'running'`, [id]);
      if (running) throw new ConflictException({ errors: [{ path: 'batch', message: `batch ${running.id} is still being generated; wait for it` }] });
      const now = this.clock.now().toISOString();
      // An earlier batch never marked sent is replaced by this one: it can no longer be marked sent.
      await m.query(`UPDATE "letter_batch" SET "status" = 'superseded' WHERE "incident_id" = ? AND "status" = 'done' AND "sent_on" IS NULL`, [id]);
      await m.query(`INSERT INTO "letter_batch" ("id", "incident_id", "status", "total", "detail", "actor", "created_at") VALUES (?, ?, 'running', 0, '{}', ?, ?)`, [batchId, id, actor.id, now]);
      // Everyone reachable who has not been in a batch marked sent.
      await m.query(
        `UPDATE "roster_person" SET "notified_batch" = ? WHERE "incident_id" = ? AND "active" = 1
           AND ("email_ok" = 1 OR ("has_address" = 1 AND "returned_on" IS NULL))
           AND ("notified_batch" IS NULL OR "notified_batch" IN (SELECT "id" FROM "letter_batch" WHERE "incident_id" = ? AND "sent_on" IS NULL))`,
        [batchId, id, id]);
      const [{ n, emails }]: { n: number; emails: number }[] = await m.query(
        'SELECT COUNT(*) AS "n", SUM("email_ok") AS "emails" FROM "roster_person" WHERE "incident_id" = ? AND "notified_batch" = ?', [id, batchId]);
      if (!n) throw new UnprocessableEntityException({ errors: [{ path: 'roster', message: 'no one on the roster is waiting for a letter: upload the roster first, or every reachable person is in a batch already sent' }] });
      await m.query('UPDATE "letter_batch" SET "total" = ?, "detail" = ? WHERE "id" = ?',
        [n, JSON.stringify({ letters: 0, emails: Number(emails ?? 0), pages: 0, files: [] }), batchId]);
      await appendIncidentNote(m, { incidentId: id, type: 'letters.batchCreated', payload: { batchId, people: n }, actor: actor.id, at: now });
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
          await m.query(`UPDATE "letter_batch" SET "status" = 'failed', "error" = ?, "finished_at" = ? WHERE "id" = ?`,
            [e.message.slice(0, 500), this.clock.now().toISOString(), batchId]);
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
    const tpl = this.templates();
    const manifest = createWriteStream(join(dir, 'manifest.csv'), { mode: 0o600 });
    manifest.write(csvLine(MANIFEST_COLUMNS));
    const pool = new PdfPool();
    const detail = { letters: 0, emails: 0, pages: 0, files: [] as string[] };
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
      await this.progress(batchId, done, detail, lease);
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
      await m.query(`UPDATE "letter_batch" SET "status" = 'done', "done" = ?, "detail" = ?, "finished_at" = ? WHERE "id" = ?`,
        [done, JSON.stringify(detail), this.clock.now().toISOString(), batchId]);
      await appendIncidentNote(m, { incidentId, type: 'letters.batchGenerated', payload: { batchId, ...detail }, actor: 'breachflow', at: this.clock.now().toISOString() });
    });
  }

  private progress(batchId: string, done: number, detail: object, lease: Lease): Promise<void> {
    return this.runner.transaction(async (m) => {
      await lease.assertHeld(m);
      await m.query('UPDATE "letter_batch" SET "done" = ?, "detail" = ? WHERE "id" = ?', [done, JSON.stringify(detail), batchId]);
    });
  }

  async batch(id: string, batchId: string): Promise<BatchView> {
    const [row]: BatchRow[] = await this.runner.read((m) => m.query('SELECT * FROM "letter_batch" WHERE "incident_id" = ? AND "id" = ?', [id, batchId]));
    if (!row) throw new NotFoundException({ errors: [{ path: 'batchId', message: 'no such letter batch for this incident' }] });
    return batchView(row);
  }

  async batches(id: string): Promise<BatchView[]> {
    const rows: BatchRow[] = await this.runner.read((m) => m.query('SELECT * FROM "letter_batch" WHERE "incident_id" = ? ORDER BY "created_at" DESC', [id]));
    return rows.map(batchView);
  }

  /** The path of one of a batch's files, by a name the batch lists (never a path from the request). */
  async batchFile(id: string, batchId: string, name: string, actor?: Actor): Promise<string> {
    const b = await this.batch(id, batchId);
    if (name !== 'manifest.csv' && !b.files.includes(name)) throw new NotFoundException({ errors: [{ path: 'name', message: `no file ${JSON.stringify(name.slice(0, 40))} in this batch` }] });
    if (b.status === 'failed') throw new NotFoundException({ errors: [{ path: 'batchId', message: 'the batch failed; its partial files were removed' }] });
    if (actor) await this.recordAccess(actor, 'letters.fileDownloaded', id, { batchId, file: name });
    return join(this.config.lettersDir, batchId, name);
  }

  /**
   * The batch went out: queue the emails for people who agreed to electronic notice, and record the
   * proof on the individuals' obligation (date, method, count), in one transaction.
   */
  async markSent(id: string, batchId: string, actor: Actor, body: unknown): Promise<BatchView> {
    const c = new Checker();
    const o = c.object(body, '', ['sentOn', 'holdConfirmed', 'holdReason']);
    if (o && !isLocalDate(o.sentOn)) c.fail('sentOn', `must be the date the letters were mailed, written YYYY-MM-DD; got ${JSON.stringify(o.sentOn)}`);
    if (o && isLocalDate(o.sentOn) && o.sentOn > this.today()) c.fail('sentOn', 'is in the future');
    // Letters mailed during a law-enforcement hold: the same confirmation notice.sent asks for (164.412).
    const confirmed = o?.holdConfirmed === undefined ? undefined : c.boolean(o.holdConfirmed, 'holdConfirmed');
    const held = confirmed ? { holdConfirmed: true, holdReason: c.string(o!.holdReason, 'holdReason') } : {};
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    const sentOn = o!.sentOn as string;
    const b = await this.batch(id, batchId);
    if (b.status !== 'done') throw new ConflictException({ errors: [{ path: 'batchId', message: `the batch is ${b.status}; only a generated batch can be marked sent` }] });
    if (b.sentOn) throw new ConflictException({ errors: [{ path: 'batchId', message: `the batch was already marked sent on ${b.sentOn}` }] });
    const tpl = this.templates();
    await this.runner.transaction(async (m) => {
      // Checked again inside the unit of work: of concurrent requests, one marks it, the others get 409.
      const [fresh]: { status: string; sent_on: string | null }[] = await m.query('SELECT "status", "sent_on" FROM "letter_batch" WHERE "id" = ?', [batchId]);
      if (fresh.status !== 'done' || fresh.sent_on) throw new ConflictException({ errors: [{ path: 'batchId', message: fresh.sent_on ? `the batch was already marked sent on ${fresh.sent_on}` : `the batch is ${fresh.status}; only a generated batch can be marked sent` }] });
      const i = await this.inputs(m, id);
      const notice = this.notice(i);
      const now = this.clock.now().toISOString();
      const pending: unknown[][] = [];
      const flush = async () => {
        if (!pending.length) return;
        await m.query(`INSERT INTO "outbox" ("idempotency_key", "message_id", "incident_ids", "recipient", "subject", "text", "html", "status", "next_attempt_at", "created_at", "sealed")
          VALUES ${pending.map(() => `(?, ?, ?, '(sealed)', ?, '', '', 'pending', ?, ?, ?)`).join(', ')}`, pending.flat());
        pending.length = 0;
      };
      let emails = 0;
      const from = patientFrom(notice.practiceName, i.contact.email, this.config.smtpFrom);
      for await (const page of this.roster.people(id, batchId, m)) {
        for (const { seq, person, returnedOn } of page) {
          if (deliveryOf(person, returnedOn !== null) !== 'email') continue;
          const { variant, model } = letterFor(notice, person);
          const { text } = tpl.renderIn(variant, model, person.language);
          const subject = `Notice of a data breach at ${notice.practiceName}`;
          const key = `notice/${batchId}/${seq}`;
          pending.push([key, messageIdFor(key), JSON.stringify([id]), `Breach notice email to person ${seq}`, now, now,
            this.cipher.seal({ from, to: person.email, subject, text: plainText(text), html: markupToHtml(text, subject) }, `outbox/${key}`)]);
          emails++;
          if (pending.length >= 200) await flush();
        }
      }
      await flush();
      const method = [b.letters ? `first-class mail (${formatCount(b.letters)} letters)` : '', emails ? `email (${formatCount(emails)}, to people who agreed to electronic notice)` : '']
        .filter(Boolean).join(' and ');
      const proof = { key: 'HIPAA/individuals', sentOn, method, count: b.letters + emails, reference: `letter batch ${batchId}` };
      const [earlier]: { id: string }[] = await m.query('SELECT "id" FROM "letter_batch" WHERE "incident_id" = ? AND "sent_on" IS NOT NULL LIMIT 1', [id]);
      if (earlier && !openLegalObligations(i.context).some((o) => o.key === 'HIPAA/individuals')) {
        // A later mailing (people added after the first was sent) is further proof on the same obligation.
        await appendIncidentNote(m, { incidentId: id, type: 'notice.furtherMailing', payload: { ...proof, batchId }, actor: actor.id, at: now });
      } else {
        await this.incidents.dispatchIn(m, id, actor, { type: 'notice.sent', ...proof, ...held });
      }
      await m.query('UPDATE "letter_batch" SET "sent_on" = ? WHERE "id" = ?', [sentOn, batchId]);
    });
    return this.batch(id, batchId);
  }
}

function batchView(r: BatchRow): BatchView {
  const d = JSON.parse(r.detail) as { letters?: number; emails?: number; pages?: number; files?: string[] };
  return {
    id: r.id, status: r.status, total: r.total, done: r.done, letters: d.letters ?? 0, emails: d.emails ?? 0, pages: d.pages ?? 0, files: d.files ?? [],
    error: r.error, createdAt: r.created_at, finishedAt: r.finished_at, sentOn: r.sent_on,
  };
}

/** Patients hear from their practice: its name, and its email for questions (else the server's address). */
export function patientFrom(practiceName: string, practiceEmail: string | undefined, serverFrom: string): string {
  const address = practiceEmail ?? /<([^>]+)>/.exec(serverFrom)?.[1] ?? serverFrom;
  return `"${practiceName.replace(/["\\\r\n]/g, '')}" <${address}>`;
}

function closeStream(s: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => s.end((e?: Error | null) => (e ? reject(e) : resolve())));
}
