import { EntityManager } from 'typeorm';
import { selectOne, selectRows } from '../persistence/sql';

/**
 * The reads of "incident" the audit trail makes: the state a note's event carries, and what chain
 * verification compares each incident's last event with. Read-only (the incidents' own repository,
 * src/incidents/incident.repository.ts, writes the table). No logic.
 */
export class AuditedIncidentRepository {
  /** Every incident's reference by id. */
  references(m: EntityManager): Promise<{ id: string; reference: string }[]> {
    return selectRows(m, 'SELECT "id", "reference" FROM "incident"');
  }

  /** Every incident's version and stored state, oldest first. */
  states(m: EntityManager): Promise<{ id: string; version: number; snapshot: string }[]> {
    return selectRows(m, 'SELECT "id", "version", "snapshot" FROM "incident" ORDER BY "created_at", "id"');
  }

  /** One incident's version, phase and stored state, or null. */
  stateOf(m: EntityManager, id: string): Promise<{ version: number; phase: string; snapshot: string } | null> {
    return selectOne(m, 'SELECT "version", "phase", "snapshot" FROM "incident" WHERE "id" = $1', [id]);
  }
}
