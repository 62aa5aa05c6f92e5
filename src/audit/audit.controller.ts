import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.guard';
import { AccessEvent } from './access-log';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @ApiOperation({ summary: 'Check the keyed hash chains of the whole audit trail (incident and access events); names the first broken link' })
  verify() {
    return this.audit.verify();
  }

  @Get('access')
  @Roles('privacy_officer', 'admin', 'auditor')
  @ApiOperation({ summary: 'Access events, newest first: logins, reads and exports of PHI, user, token and settings changes (who, what, when; never the PHI). ?type=&actor=&limit=' })
  access(@Query() query: Record<string, unknown>): Promise<AccessEvent[]> {
    return this.audit.accessEvents(AuditService.checkQuery(query));
  }
}
