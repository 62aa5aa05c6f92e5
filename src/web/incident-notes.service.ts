import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { IncidentsService } from '../incidents/incidents.service';
import { TransactionRunner } from '../persistence/transaction-runner';

export const NOTE_TYPE = 'incident.noted';
const MAX_NOTE = 2000;

/**
 * A note on an incident at any step, by the owner or the privacy officer: kept in the audit trail
 * (hash-chained, never edited), not in the incident's state, so it changes no date or decision.
 */
@Injectable()
export class IncidentNotesService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly incidents: IncidentsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async add(id: string, actor: Actor, text: unknown): Promise<void> {
    const note = typeof text === 'string' ? text.trim() : '';
    if (!note) throw new UnprocessableEntityException({ errors: [{ path: 'note', message: 'write the note first' }] });
    if (note.length > MAX_NOTE) throw new UnprocessableEntityException({ errors: [{ path: 'note', message: `is too long (${MAX_NOTE.toLocaleString('en-US')} characters at most)` }] });
    await this.runner.transaction(async (m) => {
      await this.incidents.load(m, id);
      await appendIncidentNote(m, { incidentId: id, type: NOTE_TYPE, payload: { note }, actor: actor.id, at: this.clock.now().toISOString() });
    });
  }

  async list(id: string): Promise<{ note: string; actor: string; at: string }[]> {
    return (await this.incidents.events(id)).filter((e) => e.type === NOTE_TYPE)
      .map((e) => ({ note: (e.payload as { note: string }).note, actor: e.actor, at: e.at }));
  }
}
