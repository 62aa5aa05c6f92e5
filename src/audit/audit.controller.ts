import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard';
import { ApiDoc } from '../openapi/api-doc';
import { int, oneOf, str } from '../openapi/json-schema';
import { ACCESS_EVENT_TYPES, AccessEvent } from './access-log';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @ApiDoc({ summary: 'Check the keyed hash chains of the whole audit trail (incident and access events); names the first broken link', ok: { status: 200, description: 'The chain report', schema: 'ChainReport' } })
  verify() {
    return this.audit.verify();
  }

  @Get('access')
  @Roles('privacy_officer', 'admin', 'auditor')
  @ApiDoc({
    summary: 'Access events, newest first: logins, reads and exports of PHI, user, token and settings changes (who, what, when; never the PHI)',
    ok: { status: 200, description: 'The access events', schema: 'AccessEvent', list: true },
    query: {
      type: { schema: oneOf(ACCESS_EVENT_TYPES), description: 'Only events of this type' },
      actor: { schema: str({ maxLength: 100 }), description: 'Only events whose actor contains this text' },
      limit: { schema: int(1, { maximum: 1000, default: 200 }), description: 'At most this many events' },
    },
  })
  access(@Query() query: Record<string, unknown>): Promise<AccessEvent[]> {
    return this.audit.accessEvents(AuditService.checkQuery(query));
  }
}
