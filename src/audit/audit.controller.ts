import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { ChainReport } from './audit-trail';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @ApiDoc({ summary: 'Check the hash chain of the whole audit trail; names the first broken link', ok: { status: 200, description: 'The chain report', schema: 'ChainReport' } })
  verify(): Promise<ChainReport> {
    return this.audit.verify();
  }
}
