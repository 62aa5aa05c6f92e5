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
import { Readable } from 'node:stream';

type Form = Record<string, unknown>;

/**
 * An upload is read whole before its import starts (in memory, never on disk: it holds PHI), so the
 * browser gets an answer while the import runs. A file larger than this goes through the API or the
 * CLI, which stream it. An import not finished after `progressAfterMs` answers with its progress
 * page instead of its summary (tests set 0 to see it every time).
 */
export const ROSTER_UPLOAD = { maxBytes: 100 * 1024 * 1024, progressAfterMs: 1500 };

async function readWhole(file: Readable, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of file) {
    size += (chunk as Buffer).length;
    if (size > max) { file.resume(); return null; }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
const LABELS: Record<string, string> = { people: 'Person numbers', reason: 'Why', returnedOn: 'Returned on', file: 'CSV file', onInvalid: 'If a row has a problem' };

/** The roster as a page: upload (the API's streaming import), counts, returned mail, removals. */
@ApiExcludeController()
@Controller('incidents/:id/roster')
export class RosterPageController {
  constructor(private readonly views: Views, private readonly incidents: IncidentsService, private readonly roster: RosterService) {}

  @Get()
  async page(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('done') done?: string,
    extra: { errors?: FieldError[]; last?: ImportSummary; following?: ImportSummary } = {}, status = 200): Promise<void> {
    const view = await this.incidents.get(id);
    const { roster, imports } = await this.roster.summary(id);
    const model = rosterPage(view, roster, imports, extra.last, extra.following);
    sendPage(this.views, res, req, 'roster', `Roster of ${view.reference}`, {
      id, ...model, canAct: canAct(req), errors: extra.errors ? plainErrors(extra.errors, LABELS) : undefined, done: doneText(done),
    }, status, { id, reference: view.reference, current: 'roster' });
  }

  @Roles('privacy_officer')
  @Post('upload')
  async upload(@Req() req: WithActor & WithUpload, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    if (!req.upload) { await this.page(req, res, id, undefined, { errors: [{ path: 'file', message: 'choose a CSV file to upload' }] }, 422); return; }
    const mode = body.onInvalid === 'skip' ? 'skip' : 'reject';
    const whole = await readWhole(req.upload.file, ROSTER_UPLOAD.maxBytes);
    if (!whole) {
      await this.page(req, res, id, undefined, { errors: [{ path: 'file', message: `is larger than ${ROSTER_UPLOAD.maxBytes / 1024 / 1024} MB: upload it with the API or the command line (breachflow roster import), which read it as it comes` }] }, 422);
      return;
    }
    const job = this.roster.import(id, req.actor!, Readable.from([whole]), mode);
    const settled = job.then((summary) => ({ summary }), (error: unknown) => ({ error }));
    const deadline = Date.now() + ROSTER_UPLOAD.progressAfterMs;
    let first: Awaited<typeof settled> | null = null;
    while (!first) {
      first = await Promise.race([settled, new Promise<null>((r) => setTimeout(() => r(null), 50))]);
      if (first || Date.now() < deadline) continue;
      const running = (await this.roster.summary(id)).imports.find((i) => i.status === 'running');
      // Still reading: its own page shows the progress, then its summary (the import's failure too).
      if (running) { res.redirect(303, `/incidents/${id}/roster/imports/${running.importId}`); return; }
    }
    const outcome = first;
    if ('error' in outcome) { await this.refused(req, res, id, outcome.error); return; }
    await this.page(req, res, id, undefined, { last: outcome.summary }, outcome.summary.status === 'done' ? 200 : 422);
  }

  /** One import: its progress while it runs (no script needed: a link checks again), then its summary. */
  @Get('imports/:importId')
  async importPage(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Param('importId') importId: string): Promise<void> {
    let summary: ImportSummary;
    try {
      summary = await this.roster.importStatus(id, importId);
    } catch (e) {
      await this.refused(req, res, id, e);
      return;
    }
    await this.page(req, res, id, undefined, summary.status === 'running' ? { following: summary } : { last: summary });
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
