import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Clock, CLOCK } from '../clock/clock';
import { Checker } from '../domain/validation';
import { TransactionRunner } from '../persistence/transaction-runner';
import { ACCESS_EVENT_TYPES, AccessEvent, AccessEventType, listAccessEvents, verifyAccessChain } from './access-log';
import { ChainMark, ChainReport, verifyAuditChain } from './audit-trail';

export interface AccessQuery { type?: AccessEventType; actor?: string; subject?: string; limit: number }

/** The pages walk both chains whole at least this often; in between, only what was added. */
export const FULL_VERIFY_MINUTES = 60;

type Verified = ChainReport & { accessEvents: number; accessBroken: { seq: number; type: string; problem: string } | null };

@Injectable()
export class AuditService {
  /** Where this process's last intact walk of each chain ended, and when it last walked them whole. */
  private marks: { incident: ChainMark; access: ChainMark; wholeAt: number } | null = null;

  constructor(private readonly runner: TransactionRunner, @Inject(CLOCK) private readonly clock: Clock) {}

  /** Both chains walked whole: the incidents' (the first broken link named) and the practice-wide access trail. */
  verify(): Promise<Verified> {
    return this.walk(false);
  }

  /**
   * What a page shows on every view: the events added since this process's last intact walk,
   * linked to where it ended, the states of the incidents they belong to and of the incident the
   * page shows (`incidentId`), and both chains whole when none was walked whole in the last
   * FULL_VERIFY_MINUTES. A page view costs what was added, not the whole trail. An edit of an older
   * event, or of another incident's row without an event, is found by the next whole walk (at most
   * an hour on), and by `GET /api/audit/verify` and `breachflow audit verify` at once.
   */
  verifyRecent(incidentId?: string): Promise<Verified> {
    return this.walk(true, incidentId);
  }

  private walk(recent: boolean, incidentId?: string): Promise<Verified> {
    return this.runner.read(async (m) => {
      const now = this.clock.now().getTime();
      const from = recent && this.marks && now - this.marks.wholeAt < FULL_VERIFY_MINUTES * 60_000 ? this.marks : null;
      const report = await verifyAuditChain(m, from?.incident, incidentId);
      const access = await verifyAccessChain(m, from?.access);
      const intact = report.intact && !access.broken;
      this.marks = intact && report.mark && access.mark ? { incident: report.mark, access: access.mark, wholeAt: from ? from.wholeAt : now } : null;
      const { mark: _mark, ...rest } = report;
      return { ...rest, intact, accessEvents: access.events, accessBroken: access.broken };
    });
  }

  /** The access filter from a query string, every bad field named. */
  static checkQuery(q: Record<string, unknown>): AccessQuery {
    const c = new Checker();
    const type = q.type === undefined || q.type === '' ? undefined : c.oneOf(q.type, 'type', ACCESS_EVENT_TYPES);
    const actor = q.actor === undefined || q.actor === '' ? undefined : c.string(q.actor, 'actor');
    if (actor && actor.length > 100) c.fail('actor', 'is too long (100 characters at most)');
    const limit = q.limit === undefined ? 200 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) c.fail('limit', 'must be a whole number from 1 to 1000');
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return { type, actor, limit };
  }

  accessEvents(q: AccessQuery): Promise<AccessEvent[]> {
    return this.runner.read((m) => listAccessEvents(m, q));
  }
}
