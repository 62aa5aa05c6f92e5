import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditEntry } from '../audit/audit-trail';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { oneOf, str } from '../openapi/json-schema';
import { ApiDoc } from '../openapi/api-doc';
import { EVENT_EXAMPLE, INTAKE_EXAMPLE } from '../openapi/examples';
import { parseIfMatch, PHASES, validateIdempotencyKey } from './incident-requests';
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
  @ApiDoc({
    summary: 'Report a suspected breach (intake): the incident, its plan and the events it accepts next',
    body: { schema: 'IncidentIntake', example: INTAKE_EXAMPLE },
    ok: { status: 201, description: 'The incident', schema: 'IncidentView', headers: { ETag: 'The version, for If-Match', Location: "The incident's address" } },
  })
  async report(@CurrentActor() actor: Actor, @Body() body: unknown, @Res({ passthrough: true }) res: Response): Promise<IncidentView> {
    const view = await this.incidents.report(actor, body);
    res.setHeader('ETag', `"${view.version}"`).setHeader('Location', `/api/incidents/${view.id}`);
    return view;
  }

  @Get()
  @ApiDoc({
    summary: 'Incidents, open ones first by next deadline, with filters and paging',
    ok: { status: 200, description: 'One page of incidents', schema: 'IncidentList' },
    query: {
      state: { schema: oneOf(PHASES), description: 'Only incidents in this phase' },
      open: { schema: oneOf(['true', 'false']), description: 'Only open (true) or closed (false) incidents' },
      overdue: { schema: oneOf(['true', 'false']), description: 'Only incidents with an overdue obligation (true)' },
      dueBefore: { schema: str({ format: 'date' }), description: 'Only incidents with an open obligation due before this day' },
      page: { schema: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 1 }, description: 'The page, from 1' },
      pageSize: { schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 }, description: 'Incidents per page' },
    },
  })
  list(@Query() query: Record<string, unknown>) {
    return this.incidents.list(query);
  }

  @Get(':id')
  @ApiDoc({ summary: 'One incident: its state, plan, obligations with their proof, and the events it accepts now', ok: { status: 200, description: 'The incident', schema: 'IncidentView', headers: { ETag: 'The version, for If-Match' } } })
  async get(@Param('id', incidentId) id: string, @Res({ passthrough: true }) res: Response): Promise<IncidentView> {
    const view = await this.incidents.get(id);
    res.setHeader('ETag', `"${view.version}"`);
    return view;
  }

  @Get(':id/events')
  @ApiDoc({ summary: 'The audit trail of one incident, oldest first, each event with its hash and the previous one', ok: { status: 200, description: 'The events', schema: 'AuditEntry', list: true } })
  events(@Param('id', incidentId) id: string): Promise<AuditEntry[]> {
    return this.incidents.events(id);
  }

  @Post(':id/events')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiDoc({
    summary: 'Send an event: the incident in its new state; 409 when the event is not allowed now or If-Match is stale',
    body: { schema: 'IncidentEvent', example: EVENT_EXAMPLE },
    ok: { status: 200, description: 'The incident after the event', schema: 'IncidentView', headers: { ETag: 'The new version' } },
    errors: [409],
    headers: {
      'If-Match': { schema: str({ example: '"3"' }), description: 'The version you last saw; a stale one gets 409' },
      'Idempotency-Key': { schema: str({ maxLength: 200 }), description: 'A retry with the same key returns the first answer' },
    },
  })
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
