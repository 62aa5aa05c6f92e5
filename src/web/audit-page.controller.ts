import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { WithActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { AuditExportService, AuditFilter } from '../audit/audit-export.service';
import { AUDIT_KIND_LABELS, AUDIT_KINDS } from '../audit/audit-kinds';
import { AuditService } from '../audit/audit.service';
import { clientErrors } from '../http-errors.filter';
import { sendPage } from './page';
import { Views } from './views';

/** The practice-wide audit page: both trails, newest first, filtered by kind and by user, with its CSV. */
@ApiExcludeController()
@Controller()
export class AuditPageController {
  constructor(private readonly views: Views, private readonly exports: AuditExportService, private readonly audit: AuditService) {}

  @Roles('privacy_officer', 'admin', 'auditor')
  @Get('audit')
  async auditTrail(@Req() req: WithActor, @Res() res: Response, @Query('kind') kind?: string, @Query('user') user?: string): Promise<void> {
    let filter: AuditFilter = { limit: 500 };
    let errors: { message: string }[] | undefined;
    try {
      filter = AuditExportService.checkFilter({ kind, user, limit: 500 });
    } catch (e) {
      const found = clientErrors(e);
      if (!found) throw e;
      errors = found.map((x) => ({ message: x.path === 'kind' ? `Kind: choose one of ${AUDIT_KINDS.map((k) => AUDIT_KIND_LABELS[k].toLowerCase()).join(', ')}` : `User: ${x.message}` }));
    }
    const rows = (await this.exports.timeline(filter)).map((r) => ({ ...r, kindLabel: AUDIT_KIND_LABELS[r.kind], detail: r.detail === '{}' ? '' : r.detail }));
    const chain = await this.audit.verifyRecent();
    const params = new URLSearchParams();
    if (filter.kind) params.set('kind', filter.kind);
    if (typeof user === 'string' && user && !errors) params.set('user', user);
    const query = params.toString() ? `?${params.toString()}` : '';
    sendPage(this.views, res, req, 'audit-trail', 'Audit trail', {
      rows, intact: chain.intact, errors, user: typeof user === 'string' ? user : '', query,
      kinds: AUDIT_KINDS.map((k) => ({ value: k, label: AUDIT_KIND_LABELS[k], selected: k === filter.kind })),
    }, errors ? 422 : 200);
  }
}
