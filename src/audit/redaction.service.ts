import { ConflictException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, CLOCK } from '../clock/clock';
import { Checker } from '../domain/validation';
import { TransactionRunner } from '../persistence/transaction-runner';
import { PHI_CIPHER, PhiCipher } from '../roster/phi-cipher';
import { appendIncidentNote, storedAuditEntriesOf } from './audit-trail';
import { atPath, freeTextAad, isRedacted, isSealed, REDACTION_REASONS, RedactionReason, redactMatching, sealedText, Tombstone } from './free-text';
import { RedactionRepository } from './redaction.repository';
import { rewriteIncidentText } from './rewrite-incident-text';

export interface RedactionRequest { seq: number; field: string; why: RedactionReason }
export interface RedactionResult { incidentId: string; seq: number; field: string; why: RedactionReason; replaced: number; redactionSeq: number }

function invalid(path: string, message: string): UnprocessableEntityException {
  return new UnprocessableEntityException({ errors: [{ path, message }] });
}

/**
 * Redaction of free text a user typed (it may hold PHI): the text of one event's field is replaced,
 * in that event, in every other event of the incident holding the same text, in the incident's
 * state and in its stored responses, by a tombstone naming who, when and why. The chain hashes the
 * text's commitment, which the tombstone keeps, so `audit verify` passes after it; the redaction is
 * itself an event of the incident's trail (never naming the text).
 */
@Injectable()
export class RedactionService {
  private readonly repo = new RedactionRepository();

  constructor(private readonly runner: TransactionRunner, @Inject(PHI_CIPHER) private readonly cipher: PhiCipher, @Inject(CLOCK) private readonly clock: Clock) {}

  /** The request body, each bad field named. */
  static check(body: unknown): RedactionRequest {
    const c = new Checker();
    const o = c.object(body, '', ['seq', 'field', 'why']);
    const seq = o ? c.integer(o.seq, 'seq', 1) : undefined;
    const field = o ? c.string(o.field, 'field') : undefined;
    if (field !== undefined && !/^[A-Za-z]+(\.[A-Za-z]+){0,3}$/.test(field)) c.fail('field', 'must be a field of the event, written like note or factors.nature.evidence');
    const why = o ? c.oneOf(o.why, 'why', REDACTION_REASONS) : undefined;
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return { seq: seq!, field: field!, why: why! };
  }

  redact(incidentId: string, req: RedactionRequest, by: string): Promise<RedactionResult> {
    return this.runner.transaction((m) => this.redactIn(m, incidentId, req, by));
  }

  private async redactIn(m: EntityManager, incidentId: string, req: RedactionRequest, by: string): Promise<RedactionResult> {
    const incident = await this.repo.incident(m, incidentId);
    if (!incident) throw new NotFoundException({ errors: [{ path: 'id', message: 'no incident with this id' }] });
    const events = await storedAuditEntriesOf(m, incidentId);
    const target = events.find((e) => e.seq === req.seq);
    if (!target) throw new NotFoundException({ errors: [{ path: 'seq', message: 'this incident has no event with this number' }] });
    const value = atPath(target.payload, req.field) ?? atPath(target.changes, req.field);
    if (isRedacted(value)) throw new ConflictException({ errors: [{ path: 'field', message: 'this text was already redacted' }] });
    if (!isSealed(value)) {
      throw invalid('field', typeof value === 'string'
        ? 'this text was recorded before free text was sealed: its hash is part of the chain, so it cannot be redacted without breaking it'
        : 'this event has no free text in this field');
    }
    const aad = freeTextAad(incidentId);
    const text = sealedText(value, this.cipher, aad);
    const at = this.clock.now().toISOString();
    const tombstone: Tombstone = { by, at, why: req.why };
    const replaced = await rewriteIncidentText(m, {
      incidentId,
      snapshot: incident.snapshot,
      events,
      saveState: async (state) => {
        if (!(await this.repo.saveSnapshot(m, incidentId, state, incident.version, at))) {
          throw new ConflictException({ errors: [{ path: 'id', message: 'the incident changed while redacting; try again' }] });
        }
      },
    }, (v) => redactMatching(v, text, tombstone, this.cipher, aad), this.repo);
    // The incident was read above in this unit of work, so the note is appended.
    const redactionSeq = (await appendIncidentNote(m, { incidentId, type: 'text.redacted', payload: { seq: req.seq, field: req.field, why: req.why, replaced }, actor: by, at }))!.seq;
    return { incidentId, seq: req.seq, field: req.field, why: req.why, replaced, redactionSeq };
  }
}
