import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { AttachmentsService } from '../attachments/attachments.service';
import { WithActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { ClaimService } from '../claim/claim.service';
import { FieldError } from '../domain/validation';
import { clientErrors } from '../http-errors.filter';
import { incidentId } from '../incidents/incidents.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { claimForm, claimPage, isClaimEvent } from './claim-page';
import { formToEvent } from './event-forms';
import { FIELD_LABELS } from './incident-page';
import { canAct, sendPage } from './page';
import { plainErrors } from './plain-words';
import { Views } from './views';

type Form = Record<string, unknown>;
const LABELS: Record<string, string> = {
  ...FIELD_LABELS, on: 'Date', vendor: 'Vendor', amount: 'Amount', part: 'Coverage part', consentOn: 'Consented on', cost: 'Cost', invoiceAttachmentId: 'Invoice', description: 'What it was for',
};
const DONE: Record<string, string> = {
  'insurance.costRecorded': 'The cost is in the ledger.', 'insurance.costConsented': 'The insurer\'s consent is recorded.',
  'insurance.costWithdrawn': 'The cost is withdrawn: kept in the ledger and the audit trail, left out of every total.', 'insurance.proofOfLossFiled': 'The proof of loss is recorded as filed.',
};

/** The cyber claim as a page: the policy, the ledger and its totals, warnings, the forms, the package. */
@ApiExcludeController()
@Controller('incidents/:id/claim')
export class ClaimPageController {
  constructor(
    private readonly views: Views,
    private readonly incidents: IncidentsService,
    private readonly claim: ClaimService,
    private readonly attachments: AttachmentsService,
  ) {}

  @Get()
  async page(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('done') done?: string,
    extra: { errors?: FieldError[] } = {}, status = 200): Promise<void> {
    const view = await this.incidents.get(id);
    const model = claimPage(id, await this.claim.view(id), await this.attachments.list(id), view.acceptedEvents, canAct(req));
    sendPage(this.views, res, req, 'claim', `Insurance claim of ${view.reference}`, {
      ...model, reference: view.reference, version: view.version, errors: extra.errors ? plainErrors(extra.errors, LABELS) : undefined, done: done && Object.hasOwn(DONE, done) ? DONE[done] : undefined,
    }, status, { id, reference: view.reference, current: 'claim' });
  }

  /** A claim form's event, through the one dispatch path (audited), like every other form. */
  @Roles('privacy_officer')
  @Post('events')
  async event(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    const type = body.type;
    if (!isClaimEvent(type)) {
      await this.page(req, res, id, undefined, { errors: [{ path: 'type', message: 'not an action of the claim page' }] }, 422);
      return;
    }
    try {
      const version = typeof body.version === 'string' && /^\d+$/.test(body.version) ? Number(body.version) : undefined;
      await this.incidents.dispatch(id, req.actor!, formToEvent(type, body, claimForm(type, { costs: [], invoices: [] })), { ifMatch: version });
      res.redirect(303, `/incidents/${id}/claim?done=${type}`);
    } catch (e) {
      const errors = clientErrors(e);
      if (!errors) throw e;
      await this.page(req, res, id, undefined, { errors }, (e as { getStatus(): number }).getStatus());
    }
  }
}
