import { Controller, Get, Param, Res, StreamableFile, UnprocessableEntityException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { str } from '../openapi/json-schema';
import type { Response } from 'express';
import { Roles } from '../auth/auth.guard';
import { incidentId } from '../incidents/incidents.controller';
import { ClaimService, ClaimView } from './claim.service';

@ApiTags('claim')
@Controller('api/incidents/:id/claim')
export class ClaimController {
  constructor(private readonly claim: ClaimService) {}

  @Get()
  @ApiDoc({ summary: 'The cyber claim: the policy, the cost ledger, totals against retention and sub-limits with warnings, the proof-of-loss date, the documentation checklist. Costs are entered with the insurance.cost* events', ok: { status: 200, description: 'The claim', schema: 'ClaimView' } })
  view(@Param('id', incidentId) id: string): Promise<ClaimView> {
    return this.claim.view(id);
  }

  @Get('package')
  @Roles('privacy_officer', 'auditor', 'owner')
  @ApiDoc({ summary: 'The claim package for the insurer as a PDF (policy, ledger, totals, documentation still missing); 422 while the policy lacks its retention, limit or period', ok: { status: 200, description: 'The claim package', content: { 'application/pdf': str({ format: 'binary' }) } }, errors: [422] })
  async package(@Param('id', incidentId) id: string, @Res({ passthrough: true }) res: Response): Promise<StreamableFile> {
    const result = await this.claim.packagePdf(id);
    if ('missing' in result) {
      throw new UnprocessableEntityException({ errors: [{ path: 'insurance.policy', message: `record the policy's ${result.missing.join(', ')} (insurance.policyRecorded) before the claim package can total the costs` }] });
    }
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="${result.reference}-claim-package.pdf"`);
    res.setHeader('Cache-Control', 'no-store');
    return new StreamableFile(result.pdf);
  }
}
