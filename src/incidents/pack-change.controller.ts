import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { incidentId } from './incidents.controller';
import { PackChangeService } from './pack-change.service';

@ApiTags('incidents')
@Controller('api')
export class PackChangeController {
  constructor(private readonly changes: PackChangeService) {}

  @Get('pack-changes')
  @ApiOperation({ summary: 'Open incidents whose plan the loaded rule pack would change: each with its diff of obligations' })
  pending() {
    return this.changes.pending();
  }

  @Get('incidents/:id/pack-change')
  @ApiOperation({ summary: 'What re-planning this incident with the loaded rule pack would change (added, withdrawn, moved), without changing it' })
  preview(@Param('id', incidentId) id: string) {
    return this.changes.preview(id);
  }

  @Post('incidents/:id/pack-change')
  @HttpCode(200)
  @Roles('privacy_officer')
  @ApiOperation({ summary: 'Accept the loaded rule pack for this incident: re-plans it (an audited facts.updated); 409 when nothing is pending' })
  @ApiBody({ schema: { type: 'object', required: ['rulePackVersion'], properties: { rulePackVersion: { type: 'string', description: 'The version being accepted, as the preview named it' } } } })
  accept(@Param('id', incidentId) id: string, @CurrentActor() actor: Actor, @Body() body: { rulePackVersion?: unknown } | undefined) {
    return this.changes.accept(id, actor, body?.rulePackVersion);
  }
}
