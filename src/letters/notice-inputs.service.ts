import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { DocumentInputs, MissingElement, NoticeModel, noticeModel } from '../domain/letters/documents';
import { NoticeContent } from '../domain/letters/notice-content';
import { localDateIn } from '../domain/rules/calendar';
import { IncidentsService } from '../incidents/incidents.service';
import { SettingsService } from '../settings/settings.service';
import { LetterTemplates } from './letter-templates';
import { NoticeContentRepository } from './notice-content.repository';

export function missingError(missing: MissingElement[]): UnprocessableEntityException {
  return new UnprocessableEntityException({
    error: 'required_elements_missing',
    errors: missing.map((m) => ({ path: m.field, message: `missing: ${m.element} (${m.citation})` })),
  });
}

/** What every document is made from: the incident, the practice's settings, the notice content, today. */
@Injectable()
export class NoticeInputs {
  constructor(
    private readonly incidents: IncidentsService,
    private readonly settings: SettingsService,
    private readonly contentRows: NoticeContentRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Read per use, so a practice's override templates apply without a restart. */
  templates(): LetterTemplates {
    return new LetterTemplates(this.config.templatesOverrideDir);
  }

  today(): string {
    return localDateIn(this.clock.now(), this.config.timezone)!;
  }

  async content(m: EntityManager, id: string): Promise<NoticeContent> {
    const text = await this.contentRows.read(m, id);
    return text ? (JSON.parse(text) as NoticeContent) : {};
  }

  /** `lock`: the incident's row held for the rest of the unit of work (PostgreSQL), for a change made from these inputs. */
  async inputs(m: EntityManager, id: string, lock = false): Promise<DocumentInputs> {
    const { snapshot } = await this.incidents.load(m, id, lock);
    const settings = await this.settings.read(m);
    return { practiceName: settings.practiceName, contact: settings.contact, content: await this.content(m, id), context: snapshot.context, today: this.today() };
  }

  /** The individuals' notice, or a 422 naming every required element still missing (164.404(c)). */
  notice(i: DocumentInputs): NoticeModel {
    const n = noticeModel(i);
    if (!n.ok) throw missingError(n.missing);
    return n.model;
  }
}
