import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import { WithActor } from '../auth/actor';
import { Public, Roles } from '../auth/auth.guard';
import { PROJECT_ROOT } from '../config/config';
import { FieldError } from '../domain/validation';
import { clientErrors } from '../http-errors.filter';
import { incidentId } from '../incidents/incidents.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { LettersService } from '../letters/letters.service';
import { documentsPage, lettersPage } from './letters-page';
import { canAct, formText, sendPage } from './page';
import { plainErrors } from './plain-words';
import { Views } from './views';

type Form = Record<string, unknown>;
let PROGRESS_JS: Buffer | undefined;
const LABELS: Record<string, string> = { sentOn: 'Mailed on', jurisdiction: 'State', year: 'Year' };

/** Letters (generate, progress, download, mark mailed) and every document, as pages and PDFs. */
@ApiExcludeController()
@Controller()
export class LettersPageController {
  constructor(private readonly views: Views, private readonly incidents: IncidentsService, private readonly letters: LettersService) {}

  @Get('incidents/:id/letters')
  async page(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('done') done?: string, errors?: FieldError[], status = 200): Promise<void> {
    const view = await this.incidents.get(id);
    const model = lettersPage(id, await this.letters.batches(id));
    sendPage(this.views, res, req, 'letters', `Letters of ${view.reference}`, {
      id, ...model, canAct: canAct(req), errors: errors ? plainErrors(errors, LABELS) : undefined,
      done: done === 'sent' ? 'Recorded as mailed: the proof is on the individuals\' notice, and the emails are on their way.' : undefined,
    }, status, { id, reference: view.reference, current: 'letters' });
  }

  @Roles('privacy_officer')
  @Post('incidents/:id/letters')
  async generate(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string): Promise<void> {
    try {
      await this.letters.createBatch(id, req.actor!);
      res.redirect(303, `/incidents/${id}/letters`);
    } catch (e) {
      await this.refused(req, res, id, e);
    }
  }

  @Roles('privacy_officer')
  @Post('incidents/:id/letters/:batchId/sent')
  async sent(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Param('batchId') batchId: string, @Body() body: Form): Promise<void> {
    try {
      await this.letters.markSent(id, batchId, req.actor!, { sentOn: formText(body, 'sentOn') });
      res.redirect(303, `/incidents/${id}/letters?done=sent`);
    } catch (e) {
      await this.refused(req, res, id, e);
    }
  }

  private async refused(req: WithActor, res: Response, id: string, e: unknown): Promise<void> {
    const errors = clientErrors(e);
    if (!errors) throw e;
    await this.page(req, res, id, undefined, errors, (e as { getStatus(): number }).getStatus());
  }

  @Roles('privacy_officer', 'auditor')
  @Get('incidents/:id/letters/:batchId/files/:name')
  async file(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Param('batchId') batchId: string, @Param('name') name: string): Promise<void> {
    // Audited as the API's download is: the files hold PHI.
    const path = await this.letters.batchFile(id, batchId, name, req.actor!);
    // Opened before anything is sent: the retention purge may remove the file after the check.
    const file = await open(path).catch(() => null);
    if (!file) {
      res.status(410).type('text/plain').end('this file is no longer kept');
      return;
    }
    res.setHeader('Content-Type', name.endsWith('.pdf') ? 'application/pdf' : 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    res.setHeader('Cache-Control', 'no-store');
    // A download cut off midway (the client went away) ends here, never as a crash.
    pipeline(file.createReadStream(), res, () => undefined);
  }

  /** The one script of the app: progress of a running job, for browsers that run it (same origin, so the CSP allows it). */
  @Public()
  @Get('assets/progress.js')
  progressScript(@Res() res: Response): void {
    PROGRESS_JS ??= readFileSync(join(PROJECT_ROOT, 'templates', 'assets', 'progress.js'));
    res.setHeader('Content-Type', 'text/javascript; charset=utf-8');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.send(PROGRESS_JS);
  }

  // ---- documents ------------------------------------------------------------------------------

  @Get('incidents/:id/documents')
  async documents(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string): Promise<void> {
    const view = await this.incidents.get(id);
    sendPage(this.views, res, req, 'documents', `Documents of ${view.reference}`, { id, ...documentsPage(view) }, 200, { id, reference: view.reference, current: 'documents' });
  }

  @Roles('privacy_officer', 'auditor')
  @Get('incidents/:id/documents/hhs-report')
  async hhs(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string): Promise<void> {
    const page = await this.letters.hhsReportPage(id);
    sendPage(this.views, res, req, 'hhs-report', `HHS breach report: ${page.reference}`, { id, ...page }, 200, { id, reference: page.reference, current: 'documents' });
  }

  /** One document as a PDF; a document the plan does not call for, or one missing an element, is a page that says so. */
  @Roles('privacy_officer', 'auditor')
  @Get('incidents/:id/documents/:name/pdf')
  async pdf(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Param('name') name: string, @Query('jurisdiction') jurisdiction?: string): Promise<void> {
    try {
      const doc = await this.letters.document(id, name, { format: 'pdf', ...(jurisdiction ? { jurisdiction } : {}) });
      res.setHeader('Content-Type', doc.contentType);
      res.setHeader('Content-Disposition', `attachment; filename="${doc.filename}"`);
      res.setHeader('Cache-Control', 'no-store');
      res.send(doc.body);
    } catch (e) {
      const errors = clientErrors(e);
      if (!errors) throw e;
      const view = await this.incidents.get(id);
      sendPage(this.views, res, req, 'documents', `Documents of ${view.reference}`, { id, ...documentsPage(view), errors: plainErrors(errors, LABELS) }, 422, { id, reference: view.reference, current: 'documents' });
    }
  }

  @Roles('privacy_officer', 'auditor')
  @Get('reports/annual-log.csv')
  async annualLog(@Res() res: Response, @Query('year') year: unknown): Promise<void> {
    const csv = await this.letters.annualLog(year);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="hhs-annual-log-${String(year)}.csv"`);
    res.send(csv);
  }
}
