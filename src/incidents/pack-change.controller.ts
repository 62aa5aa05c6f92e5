import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { ApiDoc } from '../openapi/api-doc';
import { PACK_ACCEPT_EXAMPLE } from '../openapi/examples';
import { incidentId } from './incidents.controller';
import { PackChangeService } from './pack-change.service';

@ApiTags('incidents')
@Controller('api')
export class PackChangeController {
  constructor(private readonly changes: PackChangeService) {}

  @Get('pack-changes')
  @ApiDoc({ summary: 'Open incidents whose plan the loaded rule pack would change: each with its diff of obligations', ok: { status: 200, description: 'The incidents with a pending change', schema: 'PackChangePreview', list: true } })
  pending() {
    return this.changes.pending();
  }

  @Get('incidents/:id/pack-change')
  @ApiDoc({ summary: 'What re-planning this incident with the loaded rule pack would change (added, withdrawn, moved), without changing it', ok: { status: 200, description: 'The diff', schema: 'PackChangePreview' } })
  preview(@Param('id', incidentId) id: string) {
    return this.changes.preview(id);
  }

  @Post('incidents/:id/pack-change')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiDoc({
    summary: 'Accept the loaded rule pack for this incident: re-plans it through the audited event path; 409 when nothing is pending',
    body: { schema: 'PackAccept', example: PACK_ACCEPT_EXAMPLE },
    ok: { status: 200, description: 'The incident, re-planned', schema: 'IncidentView' },
    errors: [409],
  })
  accept(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.changes.accept(id, actor, body);
  }
}
