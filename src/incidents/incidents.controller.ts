import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditEntry } from '../audit/audit-trail';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { EVENT_TYPES } from '../domain/lifecycle/incident-events';
import { parseIfMatch, validateIdempotencyKey } from './incident-requests';
import { IncidentView } from './incident-view';
import { IncidentsService } from './incidents.service';

export const incidentId = new ParseUUIDPipe({
  version: '4',
  exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'id', message: 'must be an incident id (a UUID)' }] }),
});

function header<T>(result: { ok: true; value: T } | { ok: false; errors: { path: string; message: string }[] }): T {
  if (!result.ok) throw new UnprocessableEntityException({ errors: result.errors });
  return result.value;
}

@ApiTags('incidents')
@Controller('api/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Post()
  @Roles('owner', 'privacy_officer')
  @ApiOperation({ summary: 'Report a suspected breach (intake): 201 with the incident, its plan and the events it accepts next' })
  @ApiBody({ schema: { type: 'object', required: ['summary', 'facts'], properties: { summary: { type: 'string' }, facts: { type: 'object', description: 'Incident facts, as POST /api/plan takes them' } } } })
  async report(@CurrentActor() actor: Actor, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<IncidentView> {
    const view = await this.incidents.report(actor, body);
    res.setHeader('ETag', `"${view.version}"`).setHeader('Location', `/api/incidents/${view.id}`);
    return view;
  }

  @Get()
  @ApiOperation({ summary: 'Incidents, open ones first by next deadline; filters: state, open, overdue, dueBefore; paging: page, pageSize' })
  list(@Query() query: Record<string, unknown>) {
    return this.incidents.list(query);
  }

  @Get(':id')
  async get(@Param('id', incidentId) id: string, @Res({ passthrough: true }) res: Response): Promise<IncidentView> {
    const view = await this.incidents.get(id);
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @Get(':id/events')
  @ApiOperation({ summary: 'The audit trail of one incident, oldest first, each event with its hash and the previous one' })
  events(@Param('id', incidentId) id: string): Promise<AuditEntry[]> {
    return this.incidents.events(id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Send an event: 200 with the new state; 409 when not allowed now or If-Match is stale; 422 naming the bad field' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The version you last saw; a stale one gets 409' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'A retry with the same key returns the first answer' })
  @ApiBody({ schema: { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: EVENT_TYPES } }, additionalProperties: true } })
  async send(
    @Param('id', incidentId) id: string,
    @CurrentActor() actor: Actor,
    @Body() body: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IncidentView> {
    const view = await this.incidents.dispatch(id, actor, body, {
      ifMatch: header(parseIfMatch(ifMatch)),
      idempotencyKey: header(validateIdempotencyKey(idempotencyKey)),
    });
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }
}
