import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { appendIncidentNote } from '../audit/audit-trail';
import { canonicalJson, sha256 } from '../audit/canonical';
import { AppConfig, baseUrl } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { storedContext } from '../domain/lifecycle/incident-snapshot';
import { IncidentContext } from '../domain/lifecycle/incident.types';
import { TrackedObligation, trackedObligations } from '../domain/lifecycle/tracking';
import { nextStep, obligationTitle } from '../domain/reminders/next-steps';
import { nextOverdue, whenText } from '../domain/reminders/reminder-ladder';
import { PracticeSettings } from '../domain/reminders/reminder-settings';
import { daysBetween, localDateIn } from '../domain/rules/calendar';
import { IncidentRepository } from '../incidents/incident.repository';
import { TransactionRunner } from '../persistence/transaction-runner';
import { SettingsService } from '../settings/settings.service';
import { EmailItem, EmailRenderer, RenderedEmail } from './email-renderer';
import { OutboxRepository } from './outbox.repository';
import { ReminderRepository, ReminderRow } from './reminder.repository';
import { insertReminders } from './reminder-schedule';

interface LoadedIncident {
  id: string;
  open: boolean;
  ctx: IncidentContext;
  obligations: TrackedObligation[];
}

interface Pending {
  recipient: string;
  sendOn: string;
  incident: LoadedIncident;
  item: EmailItem;
  escalated: boolean;
  key: string;
}

/** How many due reminders one sweep claims; the rest wait for the next sweep. */
const BATCH = 500;

export function messageIdFor(idempotencyKey: string): string {
  return `<${sha256(idempotencyKey).slice(0, 40)}@breachflow>`;
}

/**
 * Claims the reminders that are due and turns them into outbox messages, in one transaction. Its
 * cost follows the number due, not the number open (an index on status and due time).
 */
@Injectable()
export class ReminderSweeper {
  private readonly logger = new Logger('ReminderSweeper');

  constructor(
    private readonly runner: TransactionRunner,
    private readonly settings: SettingsService,
    private readonly renderer: EmailRenderer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly reminders: ReminderRepository,
    private readonly outbox: OutboxRepository,
    private readonly incidentRows: IncidentRepository,
  ) {}

  /** Returns how many outbox messages it queued. */
  sweep(now: Date): Promise<number> {
    return this.runner.transaction(async (m) => {
      // Before the claim: the next overdue reminder is written from the settings read below, and a
      // settings change under way (which waits on the rows claimed here) is waited for first.
      await this.settings.lockForReschedule(m);
      const due = await this.reminders.claimDue(m, now.toISOString(), BATCH);
      if (due.length === 0) return 0;
      const settings = await this.settings.read(m);
      const today = localDateIn(now, this.config.timezone)!;
      // A sweep's reads and writes are a few statements for the whole batch, not a few per reminder:
      // one read of the incidents, one status update per outcome, one multi-row outbox insert.
      const { keep, superseded } = this.supersede(due);
      const incidents = await this.incidents(m, keep);
      const marks = new Map<string, number[]>([['superseded', superseded.map((r) => r.id)]]);
      const markAs = (id: number, status: string) => (marks.get(status) ?? marks.set(status, []).get(status)!).push(id);
      const pending: Pending[] = [];
      for (const r of keep) {
        const incident = incidents.get(r.incident_id) ?? null;
        const o = incident?.obligations.find((x) => x.key === r.obligation_key);
        if (!incident || !incident.open || !o || o.status !== 'open' || o.dueOn !== r.due_on) {
          markAs(r.id, 'cancelled');
          continue;
        }
        const recipients = this.recipients(incident.ctx, settings, r.escalate === 1);
        if (recipients.length === 0) {
          markAs(r.id, 'undeliverable');
          await appendIncidentNote(m, { incidentId: incident.id, type: 'reminder.undeliverable', payload: { obligation: o.key, dueOn: o.dueOn, reason: 'no privacy officer or owner email is set (PUT /api/settings)' }, actor: 'breachflow', at: now.toISOString() });
          continue;
        }
        // A reminder sent late (the server was down) says how far off the date is today.
        const item = this.item(o, r.send_on < today ? daysBetween(today, o.dueOn) : r.days_left);
        for (const recipient of recipients) {
          pending.push({ recipient, sendOn: r.send_on, incident, item, escalated: r.escalate === 1 && recipient === settings.ownerEmail && recipient !== this.officer(incident.ctx, settings), key: `reminder:${incident.id}:${o.key}:${o.dueOn}:${r.send_on}:${recipient}` });
        }
        // Already 'queued' by the claim.
        if (r.kind === 'overdue') await insertReminders(m, incident.id, [nextOverdue(o, r.send_on, settings.reminders)], settings.reminders, this.config.timezone);
      }
      for (const [status, ids] of marks) await this.reminders.markMany(m, ids, status);
      const messages = settings.reminders.digest ? this.digests(pending, settings) : pending.map((p) => this.single(p, settings));
      const queued = await this.outbox.insertManyOnce(m, messages.map((msg) => ({ key: msg.key, messageId: messageIdFor(msg.key), incidentIds: msg.incidentIds, recipient: msg.recipient, ...msg.email })), now.toISOString());
      if (queued) this.logger.log(`queued ${queued} reminder message(s)`);
      return queued;
    });
  }

  /**
   * When several reminders of one obligation are due at once (nothing swept for a while), only the
   * latest goes out; the earlier ones are marked superseded rather than sent stale.
   */
  private supersede(due: ReminderRow[]): { keep: ReminderRow[]; superseded: ReminderRow[] } {
    const latest = new Map<string, ReminderRow>();
    for (const r of due) {
      const k = `${r.incident_id}|${r.obligation_key}`;
      const kept = latest.get(k);
      if (!kept || r.send_on >= kept.send_on) latest.set(k, r);
    }
    const keep = new Set(latest.values());
    return { keep: due.filter((r) => keep.has(r)), superseded: due.filter((r) => !keep.has(r)) };
  }

  /** The incidents of these reminders, read in one statement; absent ones are missing from the map. */
  private async incidents(m: EntityManager, due: ReminderRow[]): Promise<Map<string, LoadedIncident>> {
    const loaded = new Map<string, LoadedIncident>();
    for (const row of await this.incidentRows.incidentSnapshots(m, [...new Set(due.map((r) => r.incident_id))])) {
      const ctx = storedContext(row.snapshot);
      if (ctx) loaded.set(row.id, { id: row.id, open: Number(row.is_open) === 1, ctx, obligations: trackedObligations(ctx) });
    }
    return loaded;
  }

  private officer(ctx: IncidentContext, settings: PracticeSettings): string | null {
    return ctx.privacyOfficerEmail ?? settings.privacyOfficerEmail;
  }

  private recipients(ctx: IncidentContext, settings: PracticeSettings, escalate: boolean): string[] {
    const list = [this.officer(ctx, settings), escalate ? settings.ownerEmail : null, ...(settings.copyTo?.reminder ?? [])].filter((x): x is string => !!x);
    return [...new Set(list)];
  }

  private item(o: TrackedObligation, daysLeft: number): EmailItem {
    return {
      title: obligationTitle(o), recipient: o.recipient, dueOn: o.dueOn, when: whenText(daysLeft), overdue: daysLeft < 0,
      why: o.why, citation: o.citation, verify: o.verify, verifyReason: o.verifyReason ?? '', nextStep: nextStep(o),
    };
  }

  private url(incidentId: string): string {
    return `${baseUrl(this.config)}/incidents/${incidentId}`;
  }

  private single(p: Pending, settings: PracticeSettings): { key: string; recipient: string; incidentIds: string[]; email: RenderedEmail } {
    const subject = `[breachflow] ${p.incident.ctx.reference}: ${p.item.title} ${p.item.when} (${p.item.dueOn})`;
    const email = this.renderer.reminderEmail({
      subject, practiceName: settings.practiceName, reference: p.incident.ctx.reference, incidentUrl: this.url(p.incident.id), escalated: p.escalated, items: [p.item],
    });
    return { key: p.key, recipient: p.recipient, incidentIds: [p.incident.id], email };
  }

  /** One message a day per recipient, listing everything due for them, grouped by incident. */
  private digests(pending: Pending[], settings: PracticeSettings) {
    const groups = new Map<string, Pending[]>();
    for (const p of pending) groups.set(`${p.recipient}|${p.sendOn}`, [...(groups.get(`${p.recipient}|${p.sendOn}`) ?? []), p]);
    return [...groups.values()].map((ps) => {
      const byIncident = new Map<string, Pending[]>();
      for (const p of ps) byIncident.set(p.incident.id, [...(byIncident.get(p.incident.id) ?? []), p]);
      const { recipient, sendOn } = ps[0];
      const count = ps.length;
      const email = this.renderer.digest({
        subject: `[breachflow] ${count} breach deadline${count === 1 ? '' : 's'} to act on (${sendOn})`,
        practiceName: settings.practiceName, today: sendOn, count, plural: count !== 1,
        incidents: [...byIncident.values()].map((list) => ({ reference: list[0].incident.ctx.reference, incidentUrl: this.url(list[0].incident.id), items: list.map((p) => p.item) })),
      });
      return { key: `digest:${recipient}:${sendOn}:${sha256(canonicalJson(ps.map((p) => p.key).sort())).slice(0, 16)}`, recipient, incidentIds: [...byIncident.keys()], email };
    });
  }
}
