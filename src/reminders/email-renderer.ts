import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/config';

export interface EmailItem {
  title: string;
  recipient: string;
  dueOn: string;
  when: string;
  overdue: boolean;
  why: string;
  citation: string;
  verify: boolean;
  verifyReason: string;
  nextStep: string;
}

export interface ReminderModel {
  subject: string;
  practiceName: string | null;
  reference: string;
  incidentUrl: string;
  escalated: boolean;
  items: EmailItem[];
}

export interface DigestModel {
  subject: string;
  practiceName: string | null;
  today: string;
  count: number;
  plural: boolean;
  incidents: { reference: string; incidentUrl: string; items: EmailItem[] }[];
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

type Template<T> = (model: T) => string;

/**
 * Emails from Handlebars templates under templates/emails/, compiled once in an isolated
 * Handlebars instance, in strict mode so a missing field fails loudly instead of sending a hole.
 */
@Injectable()
export class EmailRenderer {
  private readonly hbs = Handlebars.create();
  private readonly reminder: { text: Template<ReminderModel>; html: Template<ReminderModel> };
  private readonly digestTemplates: { text: Template<DigestModel>; html: Template<DigestModel> };

  constructor() {
    const dir = join(PROJECT_ROOT, 'templates', 'emails');
    const load = <T>(name: string, html: boolean): Template<T> =>
      this.hbs.compile<T>(readFileSync(join(dir, name), 'utf8'), { strict: true, noEscape: !html });
    this.reminder = { text: load('reminder.text.hbs', false), html: load('reminder.html.hbs', true) };
    this.digestTemplates = { text: load('digest.text.hbs', false), html: load('digest.html.hbs', true) };
  }

  reminderEmail(model: ReminderModel): RenderedEmail {
    return { subject: model.subject, text: this.reminder.text(model), html: this.reminder.html(model) };
  }

  digest(model: DigestModel): RenderedEmail {
    return { subject: model.subject, text: this.digestTemplates.text(model), html: this.digestTemplates.html(model) };
  }
}
