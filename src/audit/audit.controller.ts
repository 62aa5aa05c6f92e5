import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChainReport } from './audit-trail';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('verify')
  @ApiOperation({ summary: 'Check the hash chain of the whole audit trail; names the first broken link' })
  verify(): Promise<ChainReport> {
    return this.audit.verify();
  }
}
