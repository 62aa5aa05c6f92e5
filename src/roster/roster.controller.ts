import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
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
  @ApiOperation({ summary: 'The roster in counts (people per state, delivery, insufficient contact) and its recent imports with their progress' })
  summary(@Param('id', incidentId) id: string) {
    return this.roster.summary(id);
  }

  @Post()
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiConsumes('text/csv')
  @ApiOperation({ summary: 'Upload affected individuals as CSV (streamed). onInvalid=reject (default) imports nothing when a row is bad; skip imports the valid rows. 200 with the summary; 422 when rejected' })
  async upload(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Query('onInvalid') onInvalid: unknown, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const summary = await this.roster.import(id, actor, csvBody(req), mode(onInvalid));
    if (summary.status !== 'done') res.status(422);
    return summary;
  }

  @Get('imports/:importId')
  @ApiOperation({ summary: 'One import: rows read so far while it runs, its summary when done' })
  importStatus(@Param('id', incidentId) id: string, @Param('importId') importId: string) {
    return this.roster.importStatus(id, importId);
  }

  @Post('remove')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Take people off the roster {people: [person numbers], reason}; people already notified stay. The counts and the plan follow' })
  remove(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.roster.removePeople(id, actor, body);
  }

  @Post('returned-mail')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiConsumes('application/json', 'text/csv')
  @ApiOperation({ summary: 'Record returned mail: JSON {returnedOn, people:[person numbers]}, or CSV with a person column and ?returnedOn=YYYY-MM-DD. The insufficient-contact count and substitute notice follow' })
  @ApiBody({ schema: { type: 'object', properties: { returnedOn: { type: 'string', format: 'date' }, people: { type: 'array', items: { type: 'integer' } } } } })
  returned(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Req() req: Request, @Body() body: unknown, @Query('returnedOn') returnedOn: unknown) {
    if (/^text\/csv\b/i.test(req.headers['content-type'] ?? '')) return this.roster.returnedMailFromCsv(id, actor, req, returnedOn);
    return this.roster.recordReturnedMail(id, actor, body);
  }
}
