import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { WithActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { FieldError } from '../domain/validation';
import { formatCount } from '../domain/rules/format';
import { clientErrors } from '../http-errors.filter';
import { incidentId } from '../incidents/incidents.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { ImportSummary, RosterService } from '../roster/roster.service';
import { WithUpload } from './multipart.middleware';
import { canAct, formText, personNumbers, sendPage } from './page';
import { plainErrors } from './plain-words';
import { rosterPage } from './roster-page';
import { Views } from './views';

type Form = Record<string, unknown>;
const LABELS: Record<string, string> = { people: 'Person numbers', reason: 'Why', returnedOn: 'Returned on', file: 'CSV file', onInvalid: 'If a row has a problem' };

/** The roster as a page: upload (the API's streaming import), counts, returned mail, removals. */
@ApiExcludeController()
@Controller('incidents/:id/roster')
export class RosterPageController {
  constructor(private readonly views: Views, private readonly incidents: IncidentsService, private readonly roster: RosterService) {}

  @Get()
  async page(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('done') done?: string,
    extra: { errors?: FieldError[]; last?: ImportSummary } = {}, status = 200): Promise<void> {
    const view = await this.incidents.get(id);
    const { roster, imports } = await this.roster.summary(id);
    const model = rosterPage(view, roster, imports, extra.last);
    sendPage(this.views, res, req, 'roster', `Roster of ${view.reference}`, {
      id, ...model, canAct: canAct(req), errors: extra.errors ? plainErrors(extra.errors, LABELS) : undefined, done: doneText(done),
    }, status, { id, reference: view.reference, current: 'roster' });
  }

  @Roles('privacy_officer')
  @Post('upload')
  async upload(@Req() req: WithActor & WithUpload, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    if (!req.upload) { await this.page(req, res, id, undefined, { errors: [{ path: 'file', message: 'choose a CSV file to upload' }] }, 422); return; }
    const mode = body.onInvalid === 'skip' ? 'skip' : 'reject';
    try {
      const summary = await this.roster.import(id, req.actor!, req.upload.file, mode);
      await this.page(req, res, id, undefined, { last: summary }, summary.status === 'done' ? 200 : 422);
    } catch (e) {
      await this.refused(req, res, id, e);
    }
  }

  @Roles('privacy_officer')
  @Post('returned-mail')
  async returned(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    try {
      const r = await this.roster.recordReturnedMail(id, req.actor!, { returnedOn: formText(body, 'returnedOn'), people: personNumbers(body.people) });
      res.redirect(303, `/incidents/${id}/roster?done=returned-${r.recorded}`);
    } catch (e) {
      await this.refused(req, res, id, e);
    }
  }

  @Roles('privacy_officer')
  @Post('returned-mail-file')
  async returnedFile(@Req() req: WithActor & WithUpload, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    if (!req.upload) { await this.page(req, res, id, undefined, { errors: [{ path: 'file', message: 'choose a CSV file with a person column' }] }, 422); return; }
    try {
      const r = await this.roster.returnedMailFromCsv(id, req.actor!, req.upload.file, formText(body, 'returnedOn'));
      res.redirect(303, `/incidents/${id}/roster?done=returned-${r.recorded}`);
    } catch (e) {
      await this.refused(req, res, id, e);
    }
  }

  @Roles('privacy_officer')
  @Post('remove')
  async remove(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    try {
      const r = await this.roster.removePeople(id, req.actor!, { people: personNumbers(body.people), reason: formText(body, 'reason') });
      res.redirect(303, `/incidents/${id}/roster?done=removed-${r.removed}`);
    } catch (e) {
      await this.refused(req, res, id, e);
    }
  }

  private async refused(req: WithActor, res: Response, id: string, e: unknown): Promise<void> {
    const errors = clientErrors(e);
    if (!errors) throw e;
    await this.page(req, res, id, undefined, { errors }, (e as { getStatus(): number }).getStatus());
  }
}

function doneText(done: string | undefined): string | undefined {
  const m = /^(returned|removed)-(\d+)$/.exec(done ?? '');
  if (!m) return undefined;
  const n = formatCount(Number(m[2]));
  return m[1] === 'returned' ? `Returned mail recorded for ${n} ${m[2] === '1' ? 'person' : 'people'}.` : `${n} ${m[2] === '1' ? 'person' : 'people'} removed from the roster.`;
}
