import { Body, Controller, Get, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { WithActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { COPY_KINDS } from '../domain/reminders/reminder-settings';
import { FieldError } from '../domain/validation';
import { clientErrors as errorsOf } from '../http-errors.filter';
import { SettingsService } from '../settings/settings.service';
import { sendPage } from './page';
import { plainErrors } from './plain-words';
import { Views } from './views';

type Form = Record<string, unknown>;

/** A days field of the form: empty keeps (null), digits a number, anything else as typed (the check names it). */
function days(v: string): number | string | null {
  if (v === '') return null;
  return /^\d{1,6}$/.test(v) ? Number(v) : v;
}

/** The contact details the settings form shows (the letters' contact lines). */
const FORM_CONTACT = ['tollFreePhone', 'email', 'website', 'signatoryName', 'signatoryTitle'] as const;

/** The practice settings page (admin): its name, who is reminded and told, how patients reach it. */
@ApiExcludeController()
@Controller()
export class SettingsPageController {
  constructor(private readonly views: Views, private readonly settings: SettingsService) {}

  @Roles('admin')
  @Get('admin/settings')
  async settingsPage(@Req() req: WithActor, @Res() res: Response, @Query('saved') saved?: string): Promise<void> {
    const s = await this.settings.get();
    sendPage(this.views, res, req, 'settings', 'Practice settings', { s: { ...s, copyTo: Object.fromEntries(COPY_KINDS.map((k) => [k, (s.copyTo?.[k] ?? []).join(', ')])) }, saved: saved === '1' });
  }

  /** The form's fields as a settings change: an emptied field clears it, every bad one is named. */
  @Roles('admin')
  @Post('admin/settings')
  async saveSettings(@Req() req: WithActor, @Res() res: Response, @Body() body: Form): Promise<void> {
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '');
    // Only the contact fields this form shows: the others (postal address, the insurer's) are kept
    // as the change finds them, not as this page read them (a change may commit in between).
    const contact = Object.fromEntries(FORM_CONTACT.filter((k) => text(`contact.${k}`)).map((k) => [k, text(`contact.${k}`)]));
    try {
      await this.settings.update(req.actor!, {
        practiceName: text('practiceName') || null, ownerEmail: text('ownerEmail') || null, privacyOfficerEmail: text('privacyOfficerEmail') || null, contact,
        copyTo: Object.fromEntries(COPY_KINDS.map((k) => [k, text(`copyTo.${k}`).split(/[\s,;]+/).filter(Boolean)])),
        retention: { letterFilesDays: days(text('retention.letterFilesDays')), emlFilesDays: days(text('retention.emlFilesDays')) },
      }, FORM_CONTACT);
      res.redirect(303, '/admin/settings?saved=1');
    } catch (e) {
      let errors = errorsOf(e);
      if (!errors) throw e;
      const labels: Record<string, string> = {
        practiceName: 'Practice name', ownerEmail: 'Practice owner\'s email', privacyOfficerEmail: 'Privacy officer\'s email', 'contact.tollFreePhone': 'Toll-free number',
        'retention.letterFilesDays': 'Letter PDFs: remove after (days)', 'retention.emlFilesDays': 'Patients\' .eml copies: remove after (days)',
        'contact.email': 'Email for questions', 'contact.website': 'Website', 'contact.signatoryName': 'Letters are signed by', 'contact.signatoryTitle': 'Their title',
        ...Object.fromEntries(COPY_KINDS.flatMap((k) => Array.from({ length: 10 }, (_, i) => [`copyTo.${k}[${i}]`, `Who else is told (${k === 'reminder' ? 'reminders' : k}), address ${i + 1}`]))),
      };
      errors = plainErrors(errors, labels) as FieldError[];
      sendPage(this.views, res, req, 'settings', 'Practice settings', { s: { ...body, contact, retention: { letterFilesDays: text('retention.letterFilesDays'), emlFilesDays: text('retention.emlFilesDays') }, copyTo: Object.fromEntries(COPY_KINDS.map((k) => [k, text(`copyTo.${k}`)])) }, errors }, 422);
    }
  }

}
