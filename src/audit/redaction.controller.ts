import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { incidentId } from '../incidents/incidents.controller';
import { ApiDoc } from '../openapi/api-doc';
import { RedactionResult, RedactionService } from './redaction.service';

@ApiTags('audit')
@Controller('api/incidents/:id/redactions')
export class RedactionController {
  constructor(private readonly redactions: RedactionService) {}

  @Post()
  @HttpCode(200)
  @Roles('privacy_officer', 'admin')
  @ApiDoc({
    summary: 'Redact free text an event recorded (it may hold PHI): the text is replaced everywhere in the incident by a tombstone naming who, when and why; the chain still verifies; the redaction is itself an event',
    body: { schema: 'Redaction', example: { seq: 1, field: 'summary', why: 'phi_typed_in_error' } },
    ok: { status: 200, description: 'What was redacted', schema: 'RedactionResult' },
    errors: [404, 409],
  })
  redact(@Param('id', incidentId) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<RedactionResult> {
    return this.redactions.redact(id, RedactionService.check(body), actor.id);
  }
}
