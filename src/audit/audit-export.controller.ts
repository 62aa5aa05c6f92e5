import { Controller, Get, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { ApiDoc } from '../openapi/api-doc';
import { oneOf, str } from '../openapi/json-schema';
import { AuditExportService } from './audit-export.service';
import { AUDIT_KINDS } from './audit-kinds';

@ApiTags('audit')
@Controller('api/audit')
export class AuditExportController {
  constructor(private readonly exports: AuditExportService) {}

  @Get('export.csv')
  @Roles('privacy_officer', 'admin', 'auditor')
  @ApiDoc({
    summary: 'The audit trail as CSV, oldest first: incident changes (type, phases, reference; never the payload) and access events (who, what, when; never PHI); the export is itself an access event',
    ok: { status: 200, description: 'The CSV', content: { 'text/csv': str() } },
    query: {
      kind: { schema: oneOf(AUDIT_KINDS), description: 'Only changes, access (logins, reads, exports) or admin (users, roles, tokens, settings)' },
      user: { schema: str({ maxLength: 100 }), description: 'Only rows whose actor contains this text' },
    },
  })
  async csv(@Query() query: Record<string, unknown>, @CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<string> {
    const f = AuditExportService.checkFilter({ kind: query.kind, user: query.user });
    const csv = await this.exports.csv(f, actor);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="audit-trail.csv"');
    res.setHeader('Cache-Control', 'no-store');
    return csv;
  }
}
