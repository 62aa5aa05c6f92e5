import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { REMOVAL_EXAMPLE, RETURNED_MAIL_EXAMPLE, ROSTER_CSV_EXAMPLE } from '../openapi/examples';
import { oneOf, ref, str } from '../openapi/json-schema';
import type { Request, Response } from 'express';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { incidentId } from '../incidents/incidents.controller';
import { ImportMode, RosterService } from './roster.service';

function csvBody(req: Request): Request {
  const type = req.headers['content-type'] ?? '';
  if (!/^text\/csv\b/i.test(type)) {
    throw new UnprocessableEntityException({ errors: [{ path: 'Content-Type', message: 'send the roster as the request body with Content-Type: text/csv' }] });
  }
  return req;
}

function mode(v: unknown): ImportMode {
  if (v === undefined || v === 'reject') return 'reject';
  if (v === 'skip') return 'skip';
  throw new UnprocessableEntityException({ errors: [{ path: 'onInvalid', message: 'must be reject (the default: a file with a bad row imports nothing) or skip (import the valid rows)' }] });
}

@ApiTags('roster')
@Controller('api/incidents/:id/roster')
export class RosterController {
  constructor(private readonly roster: RosterService) {}

  @Get()
  @ApiDoc({ summary: 'The roster in counts (people per state, delivery, insufficient contact) and its recent imports with their progress', ok: { status: 200, description: 'The roster summary', schema: 'RosterSummary' } })
  summary(@Param('id', incidentId) id: string) {
    return this.roster.summary(id);
  }

  @Post()
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiDoc({
    summary: 'Upload affected individuals as CSV (streamed); 422 with the import summary when rejected',
    body: { content: { 'text/csv': { schema: str({ description: 'A header row (name and state required), then one row per person' }), example: ROSTER_CSV_EXAMPLE } } },
    ok: { status: 200, description: 'The import summary', schema: 'RosterImport' },
    rejected: 'RosterImport',
    query: { onInvalid: { schema: oneOf(['reject', 'skip']), description: 'reject (default): a file with a bad row imports nothing; skip: import the valid rows' } },
    errors: [409],
  })
  async upload(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Query('onInvalid') onInvalid: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const summary = await this.roster.import(id, actor, csvBody(req), mode(onInvalid));
    if (summary.status !== 'done') res.status(422);
    return summary;
  }

  @Get('imports/:importId')
  @ApiDoc({ summary: 'One import: rows read so far while it runs, its summary when done', ok: { status: 200, description: 'The import', schema: 'RosterImport' } })
  importStatus(@Param('id', incidentId) id: string, @Param('importId') importId: string) {
    return this.roster.importStatus(id, importId);
  }

  @Post('remove')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiDoc({ summary: 'Take people off the roster; people already notified stay. The counts and the plan follow', body: { schema: 'RosterRemoval', example: REMOVAL_EXAMPLE }, ok: { status: 200, description: 'The roster after the change', schema: 'RosterRemoved' }, errors: [409] })
  remove(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.roster.removePeople(id, actor, body);
  }

  @Post('returned-mail')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiDoc({
    summary: 'Record returned mail (JSON, or CSV with a person column). The insufficient-contact count and substitute notice follow',
    body: { content: { 'application/json': { schema: ref('ReturnedMail'), example: RETURNED_MAIL_EXAMPLE }, 'text/csv': { schema: str(), example: 'person\\n2\\n' } } },
    ok: { status: 200, description: 'The roster after the change', schema: 'ReturnedMailRecorded' },
    query: { returnedOn: { schema: str({ format: 'date' }), description: 'With a CSV body: the day the mail came back' } },
    errors: [409],
  })
  returned(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Req() req: Request, @Body() body: unknown, @Query('returnedOn') returnedOn: unknown) {
    if (/^text\/csv\b/i.test(req.headers['content-type'] ?? '')) return this.roster.returnedMailFromCsv(id, actor, req, returnedOn);
    return this.roster.recordReturnedMail(id, actor, body);
  }
}
