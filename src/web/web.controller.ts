import { Body, Controller, Get, HttpException, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { hasRole, WithActor } from '../auth/actor';
import { cookie, Public, Roles, SESSION_COOKIE } from '../auth/auth.guard';
import { SetupService } from '../auth/setup.service';
import { UsersService } from '../auth/users.service';
import { ACCESS_EVENT_TYPES } from '../audit/access-log';
import { AuditService } from '../audit/audit.service';
import { AttachmentsService } from '../attachments/attachments.service';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { AttachmentKind } from '../domain/evidence/attachment-kinds';
import { longDate } from '../domain/letters/documents';
import { BreachLocation, LOCATIONS } from '../domain/letters/notice-content';
import { EVENT_TYPES } from '../domain/lifecycle/incident-events';
import { IncidentEventType } from '../domain/lifecycle/incident.types';
import { daysBetween, localDateIn } from '../domain/rules/calendar';
import { JURISDICTIONS } from '../domain/rules/facts';
import { FieldError } from '../domain/validation';
import { PHASES } from '../incidents/incident-requests';
import { incidentId } from '../incidents/incidents.controller';
import { IncidentsService } from '../incidents/incidents.service';
import { LettersService } from '../letters/letters.service';
import { eventForm, formToEvent } from './event-forms';
import { kindOptions, mayAttach } from './evidence-page';
import { FIELD_LABELS, incidentPage } from './incident-page';
import { dataBoxes, readReportForm, stateRows } from './report-form';
import { SettingsService } from '../settings/settings.service';
import { clientErrors as errorsOf } from '../http-errors.filter';
import { sendPage } from './page';
import { plainErrors, stepName } from './plain-words';
import { IncidentSection, Views } from './views';

type Form = Record<string, unknown>;

/** The web app: server-rendered pages and plain forms over the same services as the API. */
@ApiExcludeController()
@Controller()
export class WebController {
  constructor(
    private readonly views: Views,
    private readonly users: UsersService,
    private readonly firstAdmin: SetupService,
    private readonly incidents: IncidentsService,
    private readonly letters: LettersService,
    private readonly audit: AuditService,
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  private page(res: Response, req: WithActor, page: string, title: string, model: Record<string, unknown> = {}, status = 200, incident?: { id: string; reference: string }, current: IncidentSection = 'overview'): void {
    sendPage(this.views, res, req, page, title, model, status, incident ? { id: incident.id, reference: incident.reference, current } : undefined);
  }

  private today(): string {
    return localDateIn(this.clock.now(), this.config.timezone)!;
  }

  @Public()
  @Get()
  root(@Req() req: WithActor, @Res() res: Response): void {
    res.redirect(req.actor ? '/incidents' : '/login');
  }

  // ---- login, logout, first setup -------------------------------------------------------

  @Public()
  @Get('login')
  loginPage(@Req() req: WithActor, @Res() res: Response, @Query('next') next?: string): void {
    this.page(res, req, 'login', 'Log in', { next: safeNext(next) });
  }

  @Public()
  @Post('login')
  async login(@Req() req: WithActor, @Res() res: Response, @Body() body: Form): Promise<void> {
    try {
      const { token } = await this.users.login(body.email, body.password, req.ip ?? 'unknown');
      const secure = this.config.publicUrl?.startsWith('https:') ? '; Secure' : '';
      res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${12 * 3600}${secure}`);
      res.redirect(303, safeNext(body.next) || '/incidents');
    } catch (e) {
      const errors = errorsOf(e);
      if (!errors) throw e;
      this.page(res, req, 'login', 'Log in', { error: errors[0].message, email: typeof body.email === 'string' ? body.email : '', next: safeNext(body.next) }, (e as HttpException).getStatus());
    }
  }

  @Post('logout')
  async logout(@Req() req: Request, @Res() res: Response): Promise<void> {
    const token = cookie(req, SESSION_COOKIE);
    if (token) await this.users.logout(token);
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`);
    res.redirect(303, '/login');
  }

  @Public()
  @Get('setup')
  async setupPage(@Req() req: WithActor, @Res() res: Response, @Query('token') token: unknown): Promise<void> {
    if (!(await this.firstAdmin.setupValid(token))) {
      this.page(res, req, 'error', 'Setup', { heading: 'This setup link is not valid', errors: [{ message: 'It was used already, or replaced by a newer one. Ask the administrator, or run: npx breachflow user add' }] }, 403);
      return;
    }
    this.page(res, req, 'setup', 'Setup', { token });
  }

  @Public()
  @Post('setup')
  async setup(@Req() req: WithActor, @Res() res: Response, @Body() body: Form): Promise<void> {
    const { token, ...fields } = body;
    try {
      await this.firstAdmin.completeSetup(token, { name: fields.name, email: fields.email, password: fields.password });
      res.redirect(303, '/login');
    } catch (e) {
      const errors = errorsOf(e);
      if (!errors) throw e;
      this.page(res, req, 'setup', 'Setup', { token, errors, name: fields.name, email: fields.email }, (e as HttpException).getStatus());
    }
  }

  // ---- incidents --------------------------------------------------------------------------

  @Get('incidents')
  async list(@Req() req: WithActor, @Res() res: Response, @Query() query: Record<string, string>): Promise<void> {
    const q = Object.fromEntries(Object.entries(query).filter(([k, v]) => ['open', 'overdue', 'state', 'page'].includes(k) && v !== ''));
    const today = this.today();
    try {
      const result = await this.incidents.list({ ...q, pageSize: '100' });
      const items = result.items.map((i) => ({ ...i, phase: stepName(i.phase), next: i.nextDueOn ? longDate(i.nextDueOn) : null, daysLeft: i.nextDueOn ? daysBetween(today, i.nextDueOn) : null }));
      this.page(res, req, 'incidents', 'Incidents', { items, total: result.total, q, phases: PHASES.map((p) => ({ value: p, label: stepName(p) })) });
    } catch (e) {
      const errors = errorsOf(e);
      if (!errors) throw e;
      this.page(res, req, 'error', 'Incidents', { heading: 'Those filters do not work', errors }, 422);
    }
  }

  @Roles('owner', 'privacy_officer')
  @Get('report')
  reportPage(@Req() req: WithActor, @Res() res: Response): void {
    this.page(res, req, 'report', 'Report a suspected breach', this.reportModel({ foundOn: this.today() }));
  }

  private reportModel(form: Form, errors?: FieldError[]) {
    return {
      form, errors, states: JURISDICTIONS, stateRows: stateRows(form), dataBoxes: dataBoxes(form),
      locations: (Object.entries(LOCATIONS) as [BreachLocation, string][]).map(([value, label]) => ({ value, label, selected: form.where === value })),
    };
  }

  /** The owner's few questions become the intake facts and the first words of the notice content. */
  @Roles('owner', 'privacy_officer')
  @Post('report')
  async report(@Req() req: WithActor, @Res() res: Response, @Body() body: Form): Promise<void> {
    const count = typeof body.count === 'string' && /^\d+$/.test(body.count) ? Number(body.count) : body.count;
    const intake = readReportForm(body, count);
    if (intake.errors.length) {
      this.page(res, req, 'report', 'Report a suspected breach', this.reportModel(body, intake.errors), 422);
      return;
    }
    const state = intake.mainState;
    const encrypted = body.encrypted;
    const facts: Record<string, unknown> = {
      discovery: { date: body.foundOn },
      entity: { type: 'covered_entity', ...(state ? { state } : {}) },
      affected: { total: count, ...(intake.byJurisdiction ? { byJurisdiction: intake.byJurisdiction } : {}) },
      ...(intake.dataElements ? { dataElements: intake.dataElements } : {}),
      dataFormat: body.where === 'paper' ? 'paper' : 'electronic',
      ...(encrypted === 'yes' ? { safeguards: { encryption: { applied: true } } } : encrypted === 'no' ? { safeguards: { encryption: { applied: false } } } : {}),
    };
    const summary = typeof body.what === 'string' ? body.what.trim() : body.what;
    try {
      const where = typeof body.where === 'string' && body.where in LOCATIONS ? [body.where as BreachLocation] : [];
      const happened = typeof body.happenedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.happenedOn) ? { start: body.happenedOn } : undefined;
      // Everything checked first, then the incident and its notice content in one unit of work: a refusal creates nothing.
      const content = this.letters.checkContent({ whatHappened: summary, locations: where, ...(happened ? { breachDates: happened } : {}) });
      const view = await this.incidents.report(req.actor!, { summary, facts }, async (m, v) => { await this.letters.putContentIn(m, v.id, req.actor!, content); });
      res.redirect(303, `/incidents/${view.id}?created=1`);
    } catch (e) {
      const errors = errorsOf(e);
      if (!errors) throw e;
      const plain: Record<string, string> = {
        summary: 'What happened', 'facts.discovery.date': 'When it was found', 'facts.affected.total': 'How many patients', 'facts.entity.state': 'Where they live', 'facts.affected.byJurisdiction': 'Where they live',
      };
      this.page(res, req, 'report', 'Report a suspected breach', this.reportModel(body, errors.map((x) => ({ path: plain[x.path] ?? x.path, message: x.message }))), 422);
    }
  }

  @Get('incidents/:id')
  async incident(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('created') created?: string): Promise<void> {
    const view = await this.incidents.get(id);
    this.page(res, req, 'incident', view.reference, this.incidentModel(view, hasRole(req.actor, 'privacy_officer'), { created: created === '1', ...(await this.evidenceOf(req, id)) }), 200, view);
  }

  /** What the step forms and the evidence block need: the current attachments' kinds, who may attach or export. */
  private async evidenceOf(req: WithActor, id: string) {
        const attachedKinds = (await this.attachments.list(id)).filter((a) => a.supersededBy === null).map((a) => a.kind);
    const canAttach = mayAttach(req.actor, await this.incidents.events(id));
    return { attachedKinds, canAttach, attachKinds: kindOptions(), canExport: hasRole(req.actor, 'privacy_officer') || hasRole(req.actor, 'auditor') };
  }

  /** The incident page's model, its step in plain words. */
  private incidentModel(view: Awaited<ReturnType<IncidentsService['get']>>, canAct: boolean, extra: Record<string, unknown>) {
    const model = incidentPage(view, this.today(), canAct, (extra.attachedKinds as AttachmentKind[] | undefined) ?? []);
    return { ...model, view: { ...model.view, state: { ...model.view.state, phase: stepName(model.view.state.phase) } }, ...extra };
  }

  /** A form's event, through the one dispatch path; a refusal shows the guard's reason on the page. */
  @Roles('privacy_officer')
  @Post('incidents/:id/events')
  async event(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Body() body: Form): Promise<void> {
    const type = body.type as IncidentEventType;
    let errors: FieldError[] | null;
    if (!(EVENT_TYPES as readonly string[]).includes(type)) errors = [{ path: 'type', message: 'unknown action' }];
    else {
      try {
        // Field names and kinds make the event; the select options (open obligations) do not.
        const spec = eventForm(type, { openKeys: [], openItems: [] });
        const version = typeof body.version === 'string' && /^\d+$/.test(body.version) ? Number(body.version) : undefined;
        await this.incidents.dispatch(id, req.actor!, formToEvent(type, body, spec), { ifMatch: version });
        res.redirect(303, `/incidents/${id}`);
        return;
      } catch (e) {
        errors = errorsOf(e);
        if (!errors) throw e;
      }
    }
    const view = await this.incidents.get(id);
    this.page(res, req, 'incident', view.reference, this.incidentModel(view, true, { errors: plainErrors(errors!, FIELD_LABELS), ...(await this.evidenceOf(req, id)) }), 409, view);
  }

  @Get('incidents/:id/audit')
  async auditPage(@Req() req: WithActor, @Res() res: Response, @Param('id', incidentId) id: string, @Query('type') type?: string): Promise<void> {
    const view = await this.incidents.get(id);
    const entries = (await this.incidents.events(id)).map((e) => ({ ...e, summary: summarize(e.payload) }));
    const chain = await this.audit.verifyRecent(id);
    const broken = chain.firstBroken && chain.firstBroken.incidentId === id ? chain.firstBroken.problem : null;
    // Who read or exported this incident's PHI, filtered by kind (?type=).
    const filter = AuditService.checkQuery({ type, limit: 500 });
    const access = (await this.audit.accessEvents({ ...filter, subject: id })).map((e) => ({ ...e, summary: summarize(e.detail) }));
    const types = ACCESS_EVENT_TYPES.map((t) => ({ value: t, selected: t === filter.type }));
    this.page(res, req, 'audit', `Audit trail of ${view.reference}`, { id, reference: view.reference, entries, intact: !broken, problem: broken, access, types, filtered: Boolean(filter.type) }, 200, view, 'audit');
  }
}

/** Only a local path, so a crafted link cannot send a user elsewhere after login. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[\w\-/?=&.%]*$/.test(next) ? next : '';
}

function summarize(payload: unknown): string {
  if (payload === null || payload === undefined) return '';
  const text = JSON.stringify(payload);
  return text === '{}' ? '' : text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
