import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appendAccessEvent } from '../audit/access-log';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { DocumentInputs, letterFor, longDate } from '../domain/letters/documents';
import { annualLogRow, ANNUAL_LOG_COLUMNS, hhsReport } from '../domain/letters/hhs-report';
import { checkNoticeContent, mergeNoticeContent, NoticeContent, NoticeContentPatch } from '../domain/letters/notice-content';
import { baNoticeModel, insurerModel } from '../domain/letters/partner-notices';
import { mediaModel, substituteModel } from '../domain/letters/public-notices';
import { isLocalDate } from '../domain/rules/calendar';
import { Jurisdiction, JURISDICTIONS } from '../domain/rules/facts';
import { isPersonNumber, RosterPerson } from '../domain/roster/roster';
import { Checker } from '../domain/validation';
import { IncidentsService } from '../incidents/incidents.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RosterService } from '../roster/roster.service';
import { csvLine } from './csv';
import { HhsPage, hhsMarkup, hhsPage } from './hhs-page';
import { LetterBatchService } from './letter-batch.service';
import { BatchView } from './batch-view';
import { IncidentRepository } from '../incidents/incident.repository';
import { LetterTemplate, LetterTemplates, markupToHtml, plainText } from './letter-templates';
import { missingError, NoticeInputs } from './notice-inputs.service';
import { NoticeContentRepository } from './notice-content.repository';
import { pdfBuffer } from './pdf-layout';

export type { BatchView } from './batch-view';

export const DOCUMENTS = ['individual-notice', 'substitute-notice', 'media-notice', 'hhs-report', 'ba-notice', 'insurer-notice'] as const;
export type DocumentName = (typeof DOCUMENTS)[number];
export type Rendered = { contentType: string; body: string | Buffer; filename: string };

/**
 * Every document a breach needs, from templates: the individuals' letters (batches: LetterBatchService,
 * reached through here too), substitute and media notices, the HHS report, the BA's notice and the
 * insurer's first notice of loss. A letter missing a required element is not rendered.
 */
@Injectable()
export class LettersService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly incidents: IncidentsService,
    private readonly roster: RosterService,
    private readonly noticeInputs: NoticeInputs,
    private readonly contentRows: NoticeContentRepository,
    private readonly incidentRows: IncidentRepository,
    private readonly batchService: LetterBatchService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async content(id: string): Promise<NoticeContent> {
    return this.runner.read(async (m) => {
      await this.incidents.load(m, id);
      return this.noticeInputs.content(m, id);
    });
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
    // Locked (PostgreSQL): two saves of different fields at once merge one after the other, neither reverting the other's.
    await this.incidents.lock(m, id);
    const content = mergeNoticeContent(await this.noticeInputs.content(m, id), patch);
    const at = this.clock.now().toISOString();
    await this.contentRows.write(m, id, JSON.stringify(content), actor.id, at);
    await appendIncidentNote(m, { incidentId: id, type: 'notice.contentUpdated', payload: content, actor: actor.id, at });
    return content;
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
    const i = await this.runner.read((m) => this.noticeInputs.inputs(m, id));
    const ref = i.context.reference;
    const tpl = this.noticeInputs.templates();
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
    const i = await this.runner.read((m) => this.noticeInputs.inputs(m, id));
    return hhsPage(i.context.reference, longDate(i.today), hhsReport(i.context, i.content, i.practiceName, i.contact));
  }

  private async textDocument(id: string, doc: Exclude<DocumentName, 'hhs-report'>, i: DocumentInputs, query: Record<string, unknown>, tpl: LetterTemplates):
    Promise<{ template: LetterTemplate; model: object; title: string; letters?: string[] }> {
    const refuse = (path: string, message: string) => new UnprocessableEntityException({ errors: [{ path, message }] });
    switch (doc) {
      case 'individual-notice': {
        const notice = this.noticeInputs.notice(i);
        const person = query.person === undefined ? undefined : Number(query.person);
        if (person === undefined) {
          // A sample for review: placeholders where a person's details go.
          return { template: 'individual', title: 'Notice of a data breach (sample)', model: { ...notice, addressee: '[Name]', addressLines: ['[Street address]', '[City, State ZIP]'], patientName: '[Name]', roleWords: null } };
        }
        if (!isPersonNumber(person)) throw refuse('person', 'must be a person number from the roster');
        const found = await this.roster.person(id, person);
        if (found) {
          const { variant, model } = letterFor(notice, found);
          return { template: variant, model, title: 'Notice of a data breach', letters: [tpl.renderIn(variant, model, found.language).text] };
        }
        throw refuse('person', `no person ${person} on this incident's roster`);
      }
      case 'substitute-notice': {
        const notice = this.noticeInputs.notice(i);
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
        const r = mediaModel(this.noticeInputs.notice(i), i, j as Jurisdiction);
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
      const out: string[] = [];
      for (const id of await this.incidentRows.allIds(m)) {
        const { snapshot } = await this.incidents.load(m, id);
        const ctx = snapshot.context;
        const hhs = ctx.plan.obligations.find((o) => o.regime === 'HIPAA' && o.audience === 'hhs');
        if (hhs?.track !== 'annual_log' || !ctx.plan.discoveryDate.startsWith(`${year}-`)) continue;
        const row = annualLogRow(ctx, await this.noticeInputs.content(m, id));
        out.push(csvLine(ANNUAL_LOG_COLUMNS.map((k) => row[k])));
      }
      return out;
    });
    return [csvLine([...ANNUAL_LOG_COLUMNS]), ...rows].join('');
  }

  // ---- batches (LetterBatchService; here too, so callers keep one door to the letters) --------

  createBatch(id: string, actor: Actor): Promise<BatchView> {
    return this.batchService.createBatch(id, actor);
  }

  /** Waits for batches being generated (tests, the CLI). */
  settle(): Promise<void> {
    return this.batchService.settle();
  }

  batch(id: string, batchId: string): Promise<BatchView> {
    return this.batchService.batch(id, batchId);
  }

  batches(id: string): Promise<BatchView[]> {
    return this.batchService.batches(id);
  }

  batchFile(id: string, batchId: string, name: string, actor: Actor): Promise<string> {
    return this.batchService.batchFile(id, batchId, name, actor);
  }

  markSent(id: string, batchId: string, actor: Actor, body: unknown): Promise<BatchView> {
    return this.batchService.markSent(id, batchId, actor, body);
  }
}
