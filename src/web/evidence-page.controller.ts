import { Body, Controller, Get, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AttachmentsService } from '../attachments/attachments.service';
import { hasRole, WithActor } from '../auth/actor';
import { Public, Roles } from '../auth/auth.guard';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { FieldError } from '../domain/validation';
import { clientErrors } from '../http-errors.filter';
import { incidentId } from '../incidents/incidents.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { evidencePage, mayAttach } from './evidence-page';
import { WithUpload } from './multipart.middleware';
import { formText, sendPage } from './page';
import { plainErrors } from './plain-words';
import { Views } from './views';

type Form = Record<string, unknown>;
const LABELS: Record<string, string> = {
  'X-Attachment-Kind': 'Kind', 'X-Attachment-Description': 'What it shows', 'X-File-Name': 'File', 'X-Supersedes': 'Corrects', 'Content-Type': 'File', body: 'File', file: 'File',
};

/** The evidence of an incident as a page: attachments, upload, audited downloads, the dossier. */
@ApiExcludeController()
@Controller()
export class EvidencePageController {
  constructor(
    private readonly views: Views,
    private readonly incidents: IncidentsService,
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('incidents/:id/evidence')
  async page(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('kind') kind?: string, @Query('done') done?: string,
    extra: { errors?: FieldError[] } = {}, status = 200): Promise<void> {
    const view = await this.incidents.get(id);
    const events = await this.incidents.events(id);
    const model = evidencePage({
      id, attachments: await this.attachments.list(id), events, kind,
      canUpload: mayAttach(req.actor, events), canDownload: hasRole(req.actor, 'privacy_officer') || hasRole(req.actor, 'auditor'),
      maxMb: Math.round(this.config.attachmentMaxBytes / 1048576),
    });
    sendPage(this.views, res, req, 'evidence', `Evidence of ${view.reference}`, {
      ...model, reference: view.reference, errors: extra.errors ? plainErrors(extra.errors, LABELS) : undefined,
      done: /^\d+$/.test(done ?? '') ? `Attachment #${done} is stored, sealed, and its SHA-256 is in the audit trail.` : undefined,
    }, status, { id, reference: view.reference, current: 'evidence' });
  }

  /** The form's file, streamed into the same service the API uses (sealed, hashed, audited). */
  @Roles('privacy_officer', 'owner')
  @Post('incidents/:id/evidence')
  async upload(@Req() req: WithActor & WithUpload, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    const kind = formText(body, 'kind');
    if (!req.upload || !req.upload.fileName) {
      await this.page(req, res, id, kind, undefined, { errors: [{ path: 'file', message: 'choose the file to attach' }] }, 422);
      return;
    }
    const supersedes = formText(body, 'supersedes');
    const headers: Record<string, string | undefined> = {
      'x-attachment-kind': kind || undefined,
      'x-attachment-description': encodeURIComponent(formText(body, 'description')) || undefined,
      'x-file-name': encodeURIComponent(req.upload.fileName),
      'content-type': req.upload.mimeType || 'application/octet-stream',
      'x-supersedes': supersedes || undefined,
    };
    try {
      const done = await this.attachments.upload(id, req.actor!, headers, req.upload.file);
      res.redirect(303, `/incidents/${id}/evidence?done=${done.number}`);
    } catch (e) {
      const errors = clientErrors(e);
      if (!errors) throw e;
      await this.page(req, res, id, kind, undefined, { errors }, (e as { getStatus(): number }).getStatus());
    }
  }

  /** How to check a dossier without breachflow: no PHI here, so anyone may read it. */
  @Public()
  @Get('help/dossier')
  help(@Req() req: WithActor, @Res() res: Response): void {
    sendPage(this.views, res, req, 'dossier-help', 'Checking a dossier', {});
  }
}
