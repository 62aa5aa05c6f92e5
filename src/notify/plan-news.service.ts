import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EntityManager } from 'typeorm';
import { AppConfig, baseUrl, PROJECT_ROOT } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { IncidentContext } from '../domain/lifecycle/incident.types';
import { NewsKind, planNews, PlanNews } from '../domain/reminders/plan-news';
import { messageIdFor } from '../reminders/reminder-sweeper.service';
import { SettingsService } from '../settings/settings.service';
import { OutboxRepository } from '../reminders/outbox.repository';

type Model = PlanNews & { subject: string; practiceName: string | null; incidentUrl: string; reported: boolean; plural: boolean; first: PlanNews['items'][number]; copied: boolean; ownerCopy: boolean };

/**
 * "Nobody left uninformed": when a breach is reported, or a re-plan adds an obligation or moves one
 * earlier, the privacy officer is told at once, the owner copied, and whoever the settings name for
 * that kind of message. The messages are outbox rows written in the change's own transaction, so
 * they go out through the reminders' dispatcher (retries, durable) and never twice: the key names
 * the incident's version and the recipient.
 */
@Injectable()
export class PlanNewsService {
  private readonly hbs = Handlebars.create();
  private readonly text: HandlebarsTemplateDelegate<Model>;
  private readonly html: HandlebarsTemplateDelegate<Model>;

  private readonly outbox = new OutboxRepository();

  constructor(private readonly settings: SettingsService, @Inject(APP_CONFIG) private readonly config: AppConfig) {
    const dir = join(PROJECT_ROOT, 'templates', 'emails');
    this.text = this.hbs.compile(readFileSync(join(dir, 'news.text.hbs'), 'utf8'), { strict: true, noEscape: true });
    this.html = this.hbs.compile(readFileSync(join(dir, 'news.html.hbs'), 'utf8'), { strict: true });
  }

  /** Queues the news of a change, inside its transaction; returns how many messages it queued. */
  async queue(m: EntityManager, incident: { id: string; version: number; at: string }, ctx: IncidentContext, kind: NewsKind, change: unknown): Promise<number> {
    const news = planNews(kind, ctx, isChange(change) ? change : null);
    if (!news) return 0;
    const s = await this.settings.read(m);
    const officer = ctx.privacyOfficerEmail ?? s.privacyOfficerEmail;
    const to = [
      ...(officer ? [{ email: officer, copied: false, owner: false }] : []),
      ...(s.ownerEmail ? [{ email: s.ownerEmail, copied: true, owner: true }] : []),
      ...(s.copyTo?.[kind] ?? []).map((email) => ({ email, copied: true, owner: false })),
    ].filter((r, i, all) => all.findIndex((x) => x.email === r.email) === i);
    const first = news.items[0];
    const subject = kind === 'reported'
      ? `[breachflow] ${news.reference} reported: first deadline ${first.dueOn} (${first.title})`
      : `[breachflow] ${news.reference}: ${news.items.length === 1 ? 'a deadline is' : `${news.items.length} deadlines are`} new or earlier (first ${first.dueOn})`;
    let queued = 0;
    for (const r of to) {
      const model: Model = { ...news, subject, practiceName: s.practiceName, incidentUrl: `${baseUrl(this.config)}/incidents/${incident.id}`, reported: kind === 'reported', plural: news.items.length !== 1, first, copied: r.copied, ownerCopy: r.owner };
      const key = `news:${kind}:${incident.id}:v${incident.version}:${r.email}`;
      await this.outbox.insertOnce(m, {
        key, messageId: messageIdFor(key), incidentIds: [incident.id], recipient: r.email, subject, text: this.text(model), html: this.html(model),
      }, incident.at);
      queued++;
    }
    return queued;
  }
}

function isChange(v: unknown): v is { added?: string[]; moved?: { key: string; from: string; to: string }[] } {
  return typeof v === 'object' && v !== null && (Array.isArray((v as { added?: unknown }).added) || Array.isArray((v as { moved?: unknown }).moved));
}
