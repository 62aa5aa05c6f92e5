import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Actor, hasRole, ROLE_NAMES } from '../auth/actor';
import { PROJECT_ROOT } from '../config/config';

/** Which incident a page belongs to, and which of its pages it is (the incident's sub-navigation). */
export interface IncidentNav { id: string; reference: string; current: IncidentSection }
export type IncidentSection = 'overview' | 'facts' | 'notice' | 'roster' | 'letters' | 'documents' | 'evidence' | 'claim' | 'audit';

const SECTIONS: [IncidentSection, string, string][] = [
  ['overview', 'Overview', ''], ['facts', 'Facts and notes', '/facts'], ['notice', 'Letter text', '/notice'], ['roster', 'Roster', '/roster'],
  ['letters', 'Letters', '/letters'], ['documents', 'Documents', '/documents'], ['evidence', 'Evidence', '/evidence'], ['claim', 'Insurance claim', '/claim'],
  ['audit', 'Audit trail', '/audit'],
];

function incidentNav(nav: IncidentNav) {
  return { reference: nav.reference, links: SECTIONS.map(([key, label, path]) => ({ label, href: `/incidents/${nav.id}${path}`, current: key === nav.current })) };
}

/** The web pages: Handlebars views under templates/views/, each inside layout.hbs, HTML-escaped. */
@Injectable()
export class Views {
  private readonly hbs = Handlebars.create();
  private readonly pages = new Map<string, HandlebarsTemplateDelegate>();
  private readonly layout: HandlebarsTemplateDelegate;

  constructor() {
    const dir = join(PROJECT_ROOT, 'templates', 'views');
    this.hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.hbs.registerHelper('plus', (a: number, b: number) => a + b);
    this.hbs.registerHelper('minus', (a: number, b: number) => a - b);
    const partials = join(dir, 'partials');
    if (existsSync(partials)) {
      for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) this.hbs.registerPartial(file.slice(0, -4), readFileSync(join(partials, file), 'utf8'));
    }
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.hbs'))) {
      this.pages.set(file.slice(0, -4), this.hbs.compile(readFileSync(join(dir, file), 'utf8')));
    }
    this.layout = this.pages.get('layout')!;
  }

  render(page: string, model: Record<string, unknown>, ctx: { actor?: Actor; csrf?: string; title: string; nav?: IncidentNav }): string {
    const role = ctx.actor?.role;
    const canReport = hasRole(ctx.actor, 'owner') || hasRole(ctx.actor, 'privacy_officer');
    const body = this.pages.get(page)!({ ...model, csrf: ctx.csrf, actor: ctx.actor, canReport });
    return this.layout({
      title: ctx.title, body: new Handlebars.SafeString(body), actor: ctx.actor, csrf: ctx.csrf,
      roleName: role ? (ctx.actor?.roles ?? [role]).map((r) => ROLE_NAMES[r]).join(', ') : null, userName: ctx.actor?.id.replace(/ <.*>$/, ''), isAdmin: hasRole(ctx.actor, 'admin'), canReport,
      nav: ctx.nav ? incidentNav(ctx.nav) : null, progress: model.watchProgress === true,
    });
  }
}
