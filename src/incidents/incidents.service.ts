import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { appendAuditEntry, AuditEntry, auditEntriesOf, stateHash } from '../audit/audit-trail';
import { canonicalJson, sha256 } from '../audit/canonical';
import { freeTextAad, openFreeText, SealedTexts, sealFreeText, withoutFreeText } from '../audit/free-text';
import { PHI_CIPHER, PhiCipher } from '../roster/phi-cipher';
import { Actor, hasRole } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG, RULE_PACK } from '../config/config.module';
import { checkEvent } from '../domain/lifecycle/incident-checks';
import { datesAfterToday } from '../domain/lifecycle/event-dates';
import { validateEvent } from '../domain/lifecycle/incident-events';
import {
  acceptedEvents, fromStored, IncidentSnapshot, isOpen, phaseOf, startIncident, step, toStored,
} from '../domain/lifecycle/incident-snapshot';
import { createIncidentMachine, IncidentMachine } from '../domain/lifecycle/incident.machine';
import { IncidentEvent, MACHINE_VERSION } from '../domain/lifecycle/incident.types';
import { isEmptyChange, retrack, trackedObligations } from '../domain/lifecycle/tracking';
import { localDateIn } from '../domain/rules/calendar';
import { RulePack } from '../domain/rules/rule-pack';
import { FieldError } from '../domain/validation';
import { PlanNewsService } from '../notify/plan-news.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { reminderBasis, rescheduleReminders } from '../reminders/reminder-schedule';
import { SettingsService } from '../settings/settings.service';
import { boundsProblems, validateIntake, validateListQuery } from './incident-requests';
import { IncidentView, incidentView } from './incident-view';
import { OutboxRepository } from '../reminders/outbox.repository';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IncidentRecord, IncidentRepository, IncidentRow, ListedIncident } from './incident.repository';

export interface Deliveries {
  sent: number;
  waiting: { recipient: string; subject: string; attempts: number; error: string | null; nextAttemptAt?: string }[];
  failed: { recipient: string; subject: string; attempts: number; error: string | null }[];
}

export interface DispatchOptions {
  ifMatch?: number;
  idempotencyKey?: string;
}

function invalid(errors: FieldError[]): UnprocessableEntityException {
  return new UnprocessableEntityException({ errors });
}

/**
 * The one door for change (architecture rule 2): every change of an incident is validated, checked
 * against the machine, stepped with the pure transition, saved with a version check, audited and
 * its obligations rewritten, all in one serialised transaction.
 */
@Injectable()
export class IncidentsService {
  private readonly machine: IncidentMachine;

  constructor(
    private readonly runner: TransactionRunner,
    private readonly repo: IncidentRepository,
    @Inject(RULE_PACK) private readonly pack: RulePack,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly settings: SettingsService,
    private readonly news: PlanNewsService,
    private readonly idempotency: IdempotencyKeyRepository,
    private readonly outbox: OutboxRepository,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
  ) {
    this.machine = createIncidentMachine(pack);
  }

  /** A new incident; `alongside` runs in the same unit of work (what else the form recorded), so both or neither commit. */
  async report(actor: Actor, body: unknown, alongside?: (m: EntityManager, view: IncidentView) => Promise<void>): Promise<IncidentView> {
    const intake = validateIntake(body, this.today());
    if (!intake.ok) throw invalid(intake.errors);
    const officer = intake.value.privacyOfficerEmail;
    if (officer && actor.role && !hasRole(actor, 'privacy_officer') && !hasRole(actor, 'admin')) {
      throw new ForbiddenException({ errors: [{ path: 'privacyOfficerEmail', message: "only a privacy officer or an admin may choose who gets an incident's reminders; leave it out (the practice's privacy officer gets them)" }] });
    }
    return this.runner.transaction(async (m) => {
      if (officer && actor.role) {
        // Reminders name the incident and its deadlines: they go only to someone of the practice.
        if (!(await this.repo.isActiveUserEmail(m, officer))) throw invalid([{ path: 'privacyOfficerEmail', message: 'must be the email of an active user of breachflow' }]);
      }
      const now = this.clock.now();
      const prefix = `BF-${localDateIn(now, this.config.timezone)!.slice(0, 4)}-`;
      const reference = `${prefix}${String(await this.repo.nextReferenceNumber(m, prefix)).padStart(4, '0')}`;
      const snapshot = startIncident(this.machine, { reference, ...intake.value });
      const record = this.record(randomUUID(), snapshot, 1, now.toISOString(), now.toISOString());
      await this.repo.insert(m, record);
      await this.afterChange(m, record, snapshot, null, {
        type: 'incident.reported', payload: intake.value, changes: { added: snapshot.context.plan.obligations.map((o) => o.key) }, fromPhase: null, actor,
      });
      const view = incidentView(record, snapshot);
      await alongside?.(m, view);
      return view;
    });
  }

  async dispatch(id: string, actor: Actor, body: unknown, options: DispatchOptions = {}): Promise<IncidentView> {
    const bounds = boundsProblems(body);
    if (bounds.length) throw invalid(bounds);
    const parsed = validateEvent(body);
    if (!parsed.ok) throw invalid(parsed.errors);
    const requestHash = sha256(canonicalJson(body));
    return this.runner.transaction(async (m) => {
      if (options.idempotencyKey) {
        // The incident's row lock first: a retry racing its original waits for it, then replays its answer.
        await this.repo.load(m, id, true);
        const replay = await this.replay(m, id, options.idempotencyKey, requestHash);
        if (replay) return replay;
      }
      const view = await this.dispatchIn(m, id, actor, parsed.value, options.ifMatch);
      if (options.idempotencyKey) {
        await this.idempotency.insert(m, id, options.idempotencyKey, requestHash, JSON.stringify(sealFreeText(view, this.cipher, freeTextAad(id))), view.updatedAt);
      }
      return view;
    });
  }

  /**
   * Applies a validated event inside a unit of work already running, so that work done beside it
   * (a roster import's rows) commits or rolls back with it.
   */
  async dispatchIn(m: EntityManager, id: string, actor: Actor, event: IncidentEvent, ifMatch?: number): Promise<IncidentView> {
    // Locked until this unit commits: a concurrent change of this incident waits here, then sees the new version.
    const row = await this.mustLoad(m, id, true);
    if (ifMatch !== undefined && ifMatch !== row.version) throw this.stale(row.version);
    const kept: SealedTexts = new Map();
    const before = fromStored(this.machine, this.opened(row, kept));
    const impossible = datesAfterToday(before.context, event, this.today());
    if (impossible.length) throw invalid(impossible);
    this.assertAllowed(before, event);
    const after = step(this.machine, before, event);
    const record = this.record(row.id, after, row.version + 1, row.created_at, this.clock.now().toISOString(), kept);
    if (!(await this.repo.update(m, record, row.version))) throw this.stale(row.version);
    const change = retrack(before.context.plan, before.context.tracking, after.context.plan).change;
    const { type, ...payload } = event;
    // The answer is built before the effects: their last step takes the audit chain's head.
    const view = incidentView(record, after);
    await this.afterChange(m, record, after, reminderBasis(before.context, isOpen(before)), { type, payload, changes: isEmptyChange(change) ? null : change, fromPhase: phaseOf(before), actor });
    return view;
  }

  /**
   * The stored incident, for services that work beside it (roster, letters). `lock`: its row held
   * until the unit of work ends (PostgreSQL), for a change that depends on what it reads beside it.
   */
  async load(m: EntityManager, id: string, lock = false): Promise<{ row: IncidentRow; snapshot: IncidentSnapshot }> {
    const row = await this.mustLoad(m, id, lock);
    return { row, snapshot: fromStored(this.machine, this.opened(row)) };
  }

  /** Holds the incident's row until the unit of work ends (PostgreSQL), without reading its state; 404 when there is none. */
  async lock(m: EntityManager, id: string): Promise<void> {
    await this.mustLoad(m, id, true);
  }

  async get(id: string): Promise<IncidentView & { deliveries: Deliveries }> {
    return this.runner.read(async (m) => {
      const row = await this.mustLoad(m, id);
      const view = incidentView(this.meta(row), fromStored(this.machine, this.opened(row)));
      return { ...view, deliveries: await this.deliveries(m, id) };
    });
  }

  /** Reminder emails for this incident that are waiting, retrying or failed, so a failure shows. */
  private async deliveries(m: EntityManager, id: string): Promise<Deliveries> {
    // One pass over the outbox: sent messages only count, the others are listed.
    const rows = await this.outbox.deliveriesOf(m, id);
    const shape = (r: (typeof rows)[number]) => ({ recipient: r.recipient, subject: r.subject, attempts: r.attempts, error: r.last_error, ...(r.status === 'failed' ? {} : { nextAttemptAt: r.next_attempt_at }) });
    return {
      sent: rows.filter((r) => r.status === 'sent').length,
      waiting: rows.filter((r) => r.status === 'pending' || r.status === 'sending').map(shape),
      failed: rows.filter((r) => r.status === 'failed').map(shape),
    };
  }

  async list(query: Record<string, unknown>): Promise<{ items: ListedIncident[]; page: number; pageSize: number; total: number }> {
    const q = validateListQuery(query);
    if (!q.ok) throw invalid(q.errors);
    const today = localDateIn(this.clock.now(), this.config.timezone)!;
    const { items, total } = await this.runner.read((m) => this.repo.list(m, { ...q.value, today }));
    return { items, page: q.value.page, pageSize: q.value.pageSize, total };
  }

  async events(id: string): Promise<AuditEntry[]> {
    return this.runner.read(async (m) => {
      await this.mustLoad(m, id);
      return auditEntriesOf(m, id);
    });
  }

  /** Today where the practice is: the day facts and proofs are checked against. */
  private today(): string {
    return localDateIn(this.clock.now(), this.config.timezone)!;
  }

  /** The row of a state; text it kept from the state before keeps its sealed form (`kept`). */
  private record(id: string, s: IncidentSnapshot, version: number, createdAt: string, updatedAt: string, kept?: SealedTexts): IncidentRecord {
    return {
      id, reference: s.context.reference, phase: phaseOf(s), open: isOpen(s), snapshot: sealFreeText(toStored(s), this.cipher, freeTextAad(id), kept),
      machineVersion: MACHINE_VERSION, rulePackVersion: s.context.plan.rulePackVersion, version, createdAt, updatedAt,
    };
  }

  /** The stored state with its free text opened (it is sealed at rest: it may hold PHI a user typed). */
  private opened(row: IncidentRow, kept?: SealedTexts): unknown {
    return openFreeText(JSON.parse(row.snapshot), this.cipher, freeTextAad(row.id), kept);
  }

  private meta(row: IncidentRow) {
    return { id: row.id, version: row.version, createdAt: row.created_at, updatedAt: row.updated_at };
  }

  /** The effects of a change: obligation rows derived from the new state, and the audit entry. */
  private async afterChange(
    m: EntityManager,
    record: IncidentRecord,
    s: IncidentSnapshot,
    basisBefore: string | null,
    e: { type: string; payload: unknown; changes: unknown; fromPhase: string | null; actor: Actor },
  ): Promise<void> {
    // Obligation rows are an index nobody reads free text from: their reasons stay in the sealed state only.
    await this.repo.syncObligations(m, record.id, withoutFreeText(trackedObligations(s.context)), withoutFreeText(s.context.tracking), record.updatedAt);
    // Reminder rows follow the open obligations' dates: rewrite them only when those changed.
    if (basisBefore !== reminderBasis(s.context, record.open)) {
      await this.settings.lockForReschedule(m);
      const settings = await this.settings.read(m);
      await rescheduleReminders(m, record.id, s.context, record.open, settings.reminders, this.config.timezone, this.clock.now());
    }
    // A report, or a re-plan that adds or moves up a deadline, is told at once (outbox rows, this transaction).
    if (record.open) await this.news.queue(m, { id: record.id, version: record.version, at: record.updatedAt }, s.context, e.type === 'incident.reported' ? 'reported' : 'replanned', e.changes);
    // The audit entry last: it takes the chain's head, which every writer needs (a row lock until
    // commit on PostgreSQL), so nothing else of this change runs while this transaction holds it.
    const hash = stateHash(record.snapshot);
    await appendAuditEntry(m, {
      incidentId: record.id, incidentVersion: record.version, type: e.type, payload: e.payload, changes: e.changes,
      fromPhase: e.fromPhase, toPhase: record.phase, actor: e.actor.id, at: record.updatedAt, stateHash: hash,
    });
  }

  private async mustLoad(m: EntityManager, id: string, lock = false): Promise<IncidentRow> {
    const row = await this.repo.load(m, id, lock);
    if (!row) throw new NotFoundException({ errors: [{ path: 'id', message: 'no incident with this id' }] });
    return row;
  }

  private assertAllowed(s: IncidentSnapshot, event: IncidentEvent): void {
    if (s.can(event)) return;
    const accepted = acceptedEvents(s);
    const phase = phaseOf(s);
    const check = accepted.includes(event.type) ? checkEvent(s.context, event, this.pack.version) : null;
    if (check?.kind === 'invalid') throw invalid(check.errors);
    const message = check?.kind === 'refused'
      ? check.reason
      : `${event.type} is not accepted while the incident is in ${phase}; it accepts: ${accepted.join(', ') || 'nothing'}`;
    const path = check?.kind === 'refused' && check.path ? check.path : 'type';
    throw new ConflictException({ error: 'event_not_allowed', errors: [{ path, message }], phase, acceptedEvents: accepted });
  }

  private stale(current: number): ConflictException {
    return new ConflictException({
      error: 'stale_version',
      errors: [{ path: 'If-Match', message: `the incident changed: it is now at version ${current}; reload it and try again` }],
      currentVersion: current,
    });
  }

  private async replay(m: EntityManager, id: string, key: string, requestHash: string): Promise<IncidentView | null> {
    const row = await this.idempotency.find(m, id, key);
    if (!row) return null;
    if (row.request_hash !== requestHash) {
      throw invalid([{ path: 'Idempotency-Key', message: 'this key was already used for a different request on this incident' }]);
    }
    return openFreeText(JSON.parse(row.response) as IncidentView, this.cipher, freeTextAad(id));
  }
}
