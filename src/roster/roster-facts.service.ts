import { RemovedObligation } from '../domain/lifecycle/incident.types';
import { ConflictException, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { acceptedEvents, isOpen } from '../domain/lifecycle/incident-snapshot';
import { IncidentFacts } from '../domain/rules/facts';
import { IncidentsService } from '../incidents/incidents.service';
import { RosterPersonRepository, StateCountRow } from './roster-person.repository';
import { RosterCounts } from './roster.types';

/**
 * The facts the roster gives the plan: its counts (residents per state, who cannot be reached),
 * put into the incident's facts through the one dispatch path, and the check that the incident
 * accepts new facts before its roster changes.
 */
@Injectable()
export class RosterFactsService {
  constructor(private readonly incidents: IncidentsService, private readonly people: RosterPersonRepository) {}

  async counts(m: EntityManager, incidentId: string): Promise<RosterCounts> {
    const rows = await this.people.countsByState(m, incidentId);
    const sum = (k: Exclude<keyof StateCountRow, 'resident_state'>) => rows.reduce((a, r) => a + Number(r[k]), 0);
    return {
      people: sum('n'),
      byJurisdiction: Object.fromEntries(rows.map((r) => [r.resident_state, Number(r.n)])),
      byDelivery: { mail: sum('mail'), email: sum('email'), none: sum('insufficient') + sum('deceased_unreachable') },
      insufficientContact: sum('insufficient'),
      deceasedUnreachable: sum('deceased_unreachable'),
      returnedMail: sum('returned'),
    };
  }

  /**
   * Puts the roster's counts into the facts: residents per state, who cannot be reached, and a
   * total no smaller than the roster (an estimate above it stays). Changes go through the one
   * dispatch path as facts.updated, so the plan is re-run and the reason audited.
   */
  async refreshFacts(m: EntityManager, incidentId: string, actor: Actor, reason: string): Promise<{ counts: RosterCounts; changed: boolean; removedObligations?: RemovedObligation[] }> {
    // The incident's row first (PostgreSQL): two roster changes at once count one after the other,
    // each seeing the other's rows, instead of the later writing counts without the earlier's.
    const { snapshot } = await this.incidents.load(m, incidentId, true);
    const counts = await this.counts(m, incidentId);
    const affected = snapshot.context.facts.affected;
    const next: IncidentFacts['affected'] = {
      total: Math.max(affected.total, counts.people),
      byJurisdiction: counts.byJurisdiction,
      insufficientContact: counts.insufficientContact,
    };
    const same = next.total === affected.total && (affected.insufficientContact ?? 0) === next.insufficientContact
      && JSON.stringify(sorted(affected.byJurisdiction ?? {})) === JSON.stringify(sorted(next.byJurisdiction ?? {}));
    if (same) return { counts, changed: false };
    const view = await this.incidents.dispatchIn(m, incidentId, actor, { type: 'facts.updated', changes: { affected: next }, reason });
    // What the new counts took off the plan is shown to whoever made the change (issue 10).
    return { counts, changed: true, ...(view.removedByLastChange.length ? { removedObligations: view.removedByLastChange } : {}) };
  }

  /**
   * The roster changes the facts: only an open incident that accepts facts.updated may have it
   * changed. Locks the incident's row (PostgreSQL) for the rest of the unit of work, so what the
   * change checks (who was notified) cannot change under it.
   */
  async assertCanChangeFacts(m: EntityManager, incidentId: string): Promise<void> {
    const { snapshot } = await this.incidents.load(m, incidentId, true);
    if (!isOpen(snapshot)) {
      throw new ConflictException({ errors: [{ path: 'incident', message: 'the incident is closed; reopen it (incident.reopened) before changing its roster' }] });
    }
    if (!acceptedEvents(snapshot).includes('facts.updated')) {
      throw new ConflictException({ errors: [{ path: 'incident', message: 'the incident does not accept new facts in its current state' }] });
    }
  }
}

function sorted(o: Record<string, number | undefined>): [string, number | undefined][] {
  return Object.entries(o).filter(([, v]) => v).sort(([a], [b]) => a.localeCompare(b));
}
