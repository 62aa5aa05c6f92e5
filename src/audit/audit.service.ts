import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { Clock, CLOCK } from '../clock/clock';
import { Checker } from '../domain/validation';
import { TransactionRunner } from '../persistence/transaction-runner';
import { ACCESS_EVENT_TYPES, AccessEvent, AccessEventType, listAccessEvents, verifyAccessChain } from './access-log';
import { ChainReport, verifyAuditChain } from './audit-trail';

export interface AccessQuery { type?: AccessEventType; actor?: string; subject?: string; limit: number }

@Injectable()
export class AuditService {
  constructor(private readonly runner: TransactionRunner, @Inject(CLOCK) private readonly clock: Clock) {}

  /** Both chains: the incidents' (the first broken link named) and the practice-wide access trail. */
  verify(): Promise<ChainReport & { accessEvents: number; accessBroken: { seq: number; type: string; problem: string } | null }> {
    return this.runner.read(async (m) => {
      const report = await verifyAuditChain(m);
      const access = await verifyAccessChain(m);
      return { ...report, intact: report.intact && !access.broken, accessEvents: access.events, accessBroken: access.broken };
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
