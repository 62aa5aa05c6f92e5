import { HttpException, Inject, Injectable } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { appendAccessEvent } from '../audit/access-log';
import { appendIncidentNote, storedAuditEntriesOf } from '../audit/audit-trail';
import { freeTextAad, freeTextCipherOf, hasFreeTextCipher } from '../audit/free-text';
import { takeCheckpoint } from '../audit/checkpoint';
import { AttachmentsService } from '../attachments/attachments.service';
import { ClaimService } from '../claim/claim.service';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { DossierStory, dossierStory, MailingCount, StoryAttachment } from '../domain/evidence/dossier-story';
import { stepHelp } from '../domain/lifecycle/incident-snapshot';
import { IncidentContext } from '../domain/lifecycle/incident.types';
import { IncidentsService } from '../incidents/incidents.service';
import { LettersService } from '../letters/letters.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { AUDIT_TRAIL_FILE, auditTrailLines, exportedEvents } from './audit-jsonl';
import { DossierArchive } from './dossier-archive';
import { dossierPdf } from './dossier-pdf';
import { DossierRepository } from './dossier.repository';

const VERSION: string = (require('../../package.json') as { version: string }).version;

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf', 'image/png': 'png', 'image/jpeg': 'jpg', 'text/plain': 'txt', 'text/csv': 'csv',
  'message/rfc822': 'eml', 'application/zip': 'zip',
};

export interface DossierExport {
  reference: string;
  files: number;
  manifestSha256: string;
}

/** The documents a dossier carries as PDF, when the incident has them; never one that lists patients. */
function documentsFor(c: IncidentContext): { name: string; query: Record<string, unknown>; file: string }[] {
  const docs: { name: string; query: Record<string, unknown>; file: string }[] = [];
  const audiences = new Set(c.plan.obligations.map((o) => o.audience));
  if (audiences.has('hhs')) docs.push({ name: 'hhs-report', query: { format: 'html' }, file: 'documents/hhs-report.html' });
  if (audiences.has('substitute_notice')) docs.push({ name: 'substitute-notice', query: { format: 'pdf' }, file: 'documents/substitute-notice.pdf' });
  for (const o of c.plan.obligations) {
    if (o.audience === 'media' && o.jurisdiction) docs.push({ name: 'media-notice', query: { format: 'pdf', jurisdiction: o.jurisdiction }, file: `documents/media-notice-${o.jurisdiction}.pdf` });
  }
  if (c.insurance.policy) docs.push({ name: 'insurer-notice', query: { format: 'pdf' }, file: 'documents/insurer-notice.pdf' });
  return docs;
}

function mailingCsv(rows: MailingCount[]): string {
  return `state,method,people\n${rows.map((r) => `${r.state},${r.method},${r.people}`).join('\n')}${rows.length ? '\n' : ''}`;
}

/**
 * One complete, checkable package of an incident for OCR, an insurer or counsel (docs/dossier.md):
 * the story as a PDF, the audit trail with its own chain, the documents, the attachments
 * decrypted, and a manifest of every file's SHA-256. Exporting it reads PHI, so it is audited.
 */
@Injectable()
export class DossierService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly repo: DossierRepository,
    private readonly incidents: IncidentsService,
    private readonly attachments: AttachmentsService,
    private readonly letters: LettersService,
    private readonly claim: ClaimService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async exportTo(incidentId: string, actor: Actor, outPath: string): Promise<DossierExport> {
    const exportedAt = this.clock.now().toISOString();
    const { row, snapshot, events, mailings, practice } = await this.runner.read(async (m) => {
      const loaded = await this.incidents.load(m, incidentId);
      // The practice's signed checkpoint in the same read as the events: it saw exactly what was exported.
      const stored = await storedAuditEntriesOf(m, incidentId);
      const events = exportedEvents(stored, hasFreeTextCipher(m) ? freeTextCipherOf(m) : null, freeTextAad(incidentId));
      return { ...loaded, events, mailings: await this.repo.mailingCounts(m, incidentId), practice: await takeCheckpoint(m, new Date(exportedAt)) };
    });
    const context = snapshot.context;
    const attachments = await this.attachments.rowsForExport(incidentId);
    const numberOf = new Map(attachments.map((a) => [a.view.id, a.view.number]));
    const listed: StoryAttachment[] = attachments.map(({ view }) => ({
      number: view.number, kind: view.kind, bytes: view.bytes, sha256: view.sha256, actor: view.actor, at: view.at,
      supersededBy: view.supersededBy ? numberOf.get(view.supersededBy) ?? null : null,
      path: `attachments/${String(view.number).padStart(3, '0')}-${view.kind}.${EXTENSIONS[view.contentType] ?? 'bin'}`,
    }));
    const trail = auditTrailLines(events, exportedAt, practice);
    const story = dossierStory({
      context,
      phaseLabel: stepHelp(snapshot).map((s) => s.label).join(', '),
      openedAt: row.created_at,
      events: events.map((e) => ({ seq: e.seq, type: String(e.type), at: String(e.at), actor: String(e.actor), payload: (e.payload ?? {}) as Record<string, unknown> })),
      attachments: listed,
      mailings,
      chain: {
        events: trail.checkpoint.events, head: trail.checkpoint.head, serverHead: (events.at(-1)?.hash as string | undefined) ?? null,
        practice: { at: practice.at, count: practice.incidentEvents.count, head: practice.incidentEvents.head, mac: practice.mac },
      },
      exportedAt,
    });

    const zip = new DossierArchive(outPath);
    try {
      return await this.write(zip, { incidentId, actor, exportedAt, context, story, trail, mailings, attachments, listed });
    } catch (err) {
      await rm(outPath, { force: true });
      throw err;
    }
  }

  private async write(zip: DossierArchive, x: {
    incidentId: string; actor: Actor; exportedAt: string; context: IncidentContext; story: DossierStory;
    trail: ReturnType<typeof auditTrailLines>; mailings: MailingCount[];
    attachments: Awaited<ReturnType<AttachmentsService['rowsForExport']>>; listed: StoryAttachment[];
  }): Promise<DossierExport> {
    const { incidentId, actor, exportedAt, context, story, trail, mailings, attachments, listed } = x;
    await zip.add('dossier.pdf', dossierPdf(story));
    await zip.add(AUDIT_TRAIL_FILE, trail.text);
    await zip.add('documents/plan.json', `${JSON.stringify(context.plan, null, 2)}\n`);
    await zip.add('documents/mailings-summary.csv', mailingCsv(mailings));
    const unavailable: { document: string; reason: string }[] = [];
    for (const d of documentsFor(context)) {
      try {
        const doc = await this.letters.document(incidentId, d.name, d.query);
        await zip.add(d.file, Buffer.isBuffer(doc.body) ? doc.body : Buffer.from(doc.body, 'utf8'));
      } catch (err) {
        if (!(err instanceof HttpException)) throw err;
        const body = err.getResponse() as { errors?: { message: string }[] };
        unavailable.push({ document: d.name, reason: body.errors?.map((e) => e.message).join('; ') ?? err.message });
      }
    }
    if (context.insurance.policy) {
      const pkg = await this.claim.packagePdf(incidentId);
      if ('pdf' in pkg) await zip.add('documents/claim-package.pdf', pkg.pdf);
      else unavailable.push({ document: 'claim-package', reason: `the policy lacks ${pkg.missing.join(', ')}` });
    }
    for (const [i, a] of attachments.entries()) await zip.add(listed[i].path, await a.read() as Readable);
    const { manifest, manifestSha256 } = await zip.finish({
      incident: { id: incidentId, reference: context.reference },
      exportedAt,
      breachflowVersion: VERSION,
      rulePackVersion: context.plan.rulePackVersion,
      summary: { auditEvents: trail.checkpoint.events, auditHead: trail.checkpoint.head, attachments: attachments.length, documentsUnavailable: unavailable },
    });
    // In the incident's own trail (the next dossier shows it) and in the access trail (a PHI export).
    await this.runner.transaction(async (m) => {
      await appendIncidentNote(m, {
        incidentId, type: 'dossier.exported', actor: actor.id, at: exportedAt,
        payload: { files: manifest.files.length, manifestSha256, auditHead: trail.checkpoint.head },
      });
      await appendAccessEvent(m, { type: 'dossier.exported', actor: actor.id, at: exportedAt, subject: incidentId, detail: { files: manifest.files.length, manifestSha256 } });
    });
    return { reference: context.reference, files: manifest.files.length, manifestSha256 };
  }
}
