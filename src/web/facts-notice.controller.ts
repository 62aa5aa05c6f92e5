import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { hasRole, WithActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { longDate } from '../domain/letters/documents';
import { FieldError } from '../domain/validation';
import { clientErrors } from '../http-errors.filter';
import { incidentId } from '../incidents/incidents.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { LettersService } from '../letters/letters.service';
import { formatCount } from '../domain/rules/format';
import { eventForm, formToEvent } from './event-forms';
import { IncidentNotesService } from './incident-notes.service';
import { NOTICE_LABELS, noticePage, noticePatch } from './notice-page';
import { canAct, formText, sendPage } from './page';
import { plainErrors, stepName } from './plain-words';
import { Views } from './views';

type Form = Record<string, unknown>;

const FACT_LABELS: Record<string, string> = {
  'changes.discovery.date': 'Discovered on', 'discovery.date': 'Discovered on', reason: 'Why', 'changes.affected.total': 'People affected',
  'affected.total': 'People affected', 'changes.affected.byJurisdiction': 'Residents per state', 'affected.byJurisdiction': 'Residents per state', note: 'Note',
};

/** The incident's facts (discovery date, states and counts, notes) and its letter text, as pages. */
@ApiExcludeController()
@Controller('incidents/:id')
export class FactsNoticeController {
  constructor(
    private readonly views: Views,
    private readonly incidents: IncidentsService,
    private readonly letters: LettersService,
    private readonly notes: IncidentNotesService,
  ) {}

  // ---- facts and notes ------------------------------------------------------------------------

  @Get('facts')
  async facts(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('done') done?: string, errors?: FieldError[], status = 200): Promise<void> {
    const view = await this.incidents.get(id);
    const facts = view.facts as { affected: { total: number; byJurisdiction?: Record<string, number> } };
    const states = Object.entries(facts.affected.byJurisdiction ?? {});
    sendPage(this.views, res, req, 'facts', `Facts of ${view.reference}`, {
      id, discovery: longDate(view.plan.discoveryDate), discoveryDate: view.plan.discoveryDate, discoveryWhy: view.plan.discoveryDateReason,
      total: formatCount(facts.affected.total), totalNumber: facts.affected.total,
      byState: states.map(([s, n]) => `${s} ${formatCount(n)}`).join(', ') || 'not yet known', statesText: states.map(([s, n]) => `${s}=${n}`).join(', '),
      step: stepName(view.state.phase), notes: await this.notes.list(id), canAct: canAct(req), canNote: hasRole(req.actor, 'owner') || hasRole(req.actor, 'privacy_officer'),
      errors: errors ? plainErrors(errors, FACT_LABELS) : undefined, done: done === 'note' ? 'Note added.' : done === 'facts' ? 'Saved; the plan was recomputed.' : undefined,
    }, status, { id, reference: view.reference, current: 'facts' });
  }

  @Roles('privacy_officer')
  @Post('facts/discovery')
  async correctDiscovery(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    const event = { type: 'facts.updated', reason: formText(body, 'reason') || undefined, changes: { discovery: { date: formText(body, 'date') || undefined } } };
    await this.dispatchThen(req, res, id, event);
  }

  @Roles('privacy_officer')
  @Post('facts/counts')
  async counts(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    const event = formToEvent('facts.updated', body, eventForm('facts.updated', { openKeys: [], openItems: [] }));
    await this.dispatchThen(req, res, id, event);
  }

  private async dispatchThen(req: WithActor, res: Response, id: string, event: Record<string, unknown>): Promise<void> {
    try {
      await this.incidents.dispatch(id, req.actor!, event);
      res.redirect(303, `/incidents/${id}/facts?done=facts`);
    } catch (e) {
      const errors = clientErrors(e);
      if (!errors) throw e;
      await this.facts(req, res, id, undefined, errors, 422);
    }
  }

  @Roles('owner', 'privacy_officer')
  @Post('notes')
  async addNote(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    try {
      await this.notes.add(id, req.actor!, body.note);
      res.redirect(303, `/incidents/${id}/facts?done=note`);
    } catch (e) {
      const errors = clientErrors(e);
      if (!errors) throw e;
      await this.facts(req, res, id, undefined, errors, 422);
    }
  }

  // ---- the letter text ------------------------------------------------------------------------

  @Get('notice')
  async notice(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query() query: Form,
    extra: { errors?: FieldError[]; field?: string } = {}, status = 200): Promise<void> {
    const view = await this.incidents.get(id);
    const content = await this.letters.content(id);
    const person = typeof query.person === 'string' && /^\d+$/.test(query.person) ? query.person : undefined;
    let preview: string | null = null;
    let missing: string[] = [];
    try {
      const doc = await this.letters.document(id, 'individual-notice', { format: 'text', ...(person ? { person } : {}) });
      preview = doc.body.toString();
    } catch (e) {
      const errors = clientErrors(e);
      if (!errors) throw e;
      missing = plainErrors(errors.filter((x) => x.path !== 'person')).map((x) => x.message);
      if (errors.some((x) => x.path === 'person')) missing.push(...plainErrors(errors.filter((x) => x.path === 'person')).map((x) => x.message));
    }
    const model = noticePage(content, { ...extra, errors: extra.errors ? plainErrors(extra.errors, NOTICE_LABELS) : undefined, missing, preview, saved: typeof query.saved === 'string' ? query.saved : undefined, canAct: canAct(req) });
    sendPage(this.views, res, req, 'notice', `Letter text of ${view.reference}`, { id, ...model, person }, status, { id, reference: view.reference, current: 'notice' });
  }

  @Roles('privacy_officer')
  @Post('notice')
  async saveNotice(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    const change = noticePatch(body);
    if (!change) { await this.notice(req, res, id, {}, { errors: [{ path: '', message: 'That part of the letter does not exist; reload the page.' }] }, 422); return; }
    try {
      await this.letters.putContent(id, req.actor!, change.patch);
      res.redirect(303, `/incidents/${id}/notice?saved=${change.field}#field-${change.field}`);
    } catch (e) {
      const errors = clientErrors(e);
      if (!errors) throw e;
      await this.notice(req, res, id, {}, { errors, field: change.field }, 422);
    }
  }
}
