import { appendAccessEvent } from '../audit/access-log';
import { canonicalJson } from '../audit/canonical';
import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { checkCopyTo, checkEmail, checkReminderSettings, PracticeSettings } from '../domain/reminders/reminder-settings';
import { checkPracticeContact } from '../domain/letters/notice-content';
import { checkMailingRates } from '../domain/letters/mailing-rates';
import { checkRetention, RETENTION_DEFAULTS } from '../domain/retention/retention-settings';
import { Checker } from '../domain/validation';
import { storedContext } from '../domain/lifecycle/incident-snapshot';
import { TransactionRunner } from '../persistence/transaction-runner';
import { rescheduleReminders } from '../reminders/reminder-schedule';
import { IncidentRepository } from '../incidents/incident.repository';
import { PracticeSettingsRepository } from './practice-settings.repository';

/** The practice's settings: its name, who is reminded, and the reminder ladder. */
@Injectable()
export class SettingsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly stored: PracticeSettingsRepository,
    private readonly incidents: IncidentRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  defaults(): PracticeSettings {
    return { practiceName: null, ownerEmail: null, privacyOfficerEmail: null, reminders: this.config.reminders.settings, contact: {} };
  }

  /** Reads the settings inside a unit of work already running (the sweeper's). */
  async read(m: EntityManager): Promise<PracticeSettings> {
    const text = await this.stored.stored(m);
    if (text === null) return this.defaults();
    const stored = JSON.parse(text) as Partial<PracticeSettings>;
    return { ...this.defaults(), ...stored, reminders: { ...this.config.reminders.settings, ...stored.reminders } };
  }

  /**
   * For a change that writes reminder rows from the settings it reads next (an incident's change,
   * the sweeper): a settings change under way is waited for, and none starts until this unit of
   * work ends (PostgreSQL), so the rows never follow a ladder already replaced.
   */
  lockForReschedule(m: EntityManager): Promise<void> {
    return this.stored.lock(m, 'reschedule');
  }

  get(): Promise<PracticeSettings> {
    return this.runner.read((m) => this.read(m));
  }

  /**
   * Changes the fields given and keeps the others; every bad field is named, nothing is half-saved.
   * `contact` replaces the contact details, except with `ownContact` (a form that shows only some of
   * them): those fields are replaced and the others kept as the change finds them.
   */
  async update(actor: Actor, body: unknown, ownContact?: readonly string[]): Promise<PracticeSettings> {
    const c = new Checker();
    const o = c.object(body, '', ['practiceName', 'ownerEmail', 'privacyOfficerEmail', 'reminders', 'contact', 'copyTo', 'mailingRates', 'retention']);
    const patch: Partial<PracticeSettings> = {};
    if (o?.practiceName !== undefined) {
      if (o.practiceName === null) patch.practiceName = null;
      else {
        const name = c.string(o.practiceName, 'practiceName');
        if (name && name.length > 200) c.fail('practiceName', 'is too long (200 characters at most)');
        else if (name) patch.practiceName = name;
      }
    }
    for (const key of ['ownerEmail', 'privacyOfficerEmail'] as const) {
      if (o?.[key] !== undefined) {
        const email = checkEmail(c, o[key], key);
        if (email !== undefined) patch[key] = email;
      }
    }
    if (o?.contact !== undefined) patch.contact = checkPracticeContact(c, o.contact, 'contact');
    const mailingRates = o?.mailingRates === undefined ? undefined : checkMailingRates(c, o.mailingRates, 'mailingRates');
    if (mailingRates) patch.mailingRates = mailingRates;
    const copyTo = o?.copyTo === undefined ? undefined : checkCopyTo(c, o.copyTo, 'copyTo');
    const reminders = o?.reminders === undefined ? undefined : checkReminderSettings(c, o.reminders, 'reminders', true);
    const retention = o?.retention === undefined ? undefined : checkRetention(c, o.retention, 'retention');
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return this.runner.transaction(async (m) => {
      // Alone among settings changes and incident changes that write reminders (PostgreSQL): two
      // partial saves at once each keep the other's fields, and every open incident, the ones
      // reported meanwhile included, is re-scheduled from the new ladder.
      await this.stored.lock(m, 'change');
      const current = await this.read(m);
      if (ownContact && patch.contact) patch.contact = { ...Object.fromEntries(Object.entries(current.contact ?? {}).filter(([k]) => !ownContact.includes(k))), ...patch.contact };
      const next: PracticeSettings = { ...current, ...patch, ...(mailingRates === null ? { mailingRates: undefined } : {}), reminders: { ...current.reminders, ...reminders }, ...(copyTo ? { copyTo: { ...current.copyTo, ...copyTo } } : {}),
        ...(retention ? { retention: { ...RETENTION_DEFAULTS, ...current.retention, ...retention } } : {}) };
      await this.stored.save(m, JSON.stringify(next), actor.id, this.clock.now().toISOString());
      await appendAccessEvent(m, { type: 'settings.updated', actor: actor.id, at: this.clock.now().toISOString(), subject: 'practice_settings', detail: { changed: changedSettings(current, next), settings: next } });
      // A new ladder or hour applies to every open incident at once.
      const open = await this.incidents.openSnapshots(m);
      for (const row of open) {
        await rescheduleReminders(m, row.id, storedContext(row.snapshot), true, next.reminders, this.config.timezone, this.clock.now());
      }
      return next;
    });
  }
}

/** The names of the settings whose saved value differs from before (sorted): what the audit event says changed. */
function changedSettings(before: PracticeSettings, after: PracticeSettings): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)] as (keyof PracticeSettings)[]);
  return [...names].filter((k) => canonicalJson(before[k] ?? null) !== canonicalJson(after[k] ?? null)).sort();
}
