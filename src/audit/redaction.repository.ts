import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, forUpdate, selectOne, selectRows } from '../persistence/sql';

/**
 * The rows a redaction rewrites: an event's sealed free text (the chain hashes its commitment, which
 * the tombstone keeps), the incident's stored state and its stored idempotent responses. No logic.
 */
@Injectable()
export class RedactionRepository {
  incident(m: EntityManager, id: string): Promise<{ version: number; snapshot: string } | null> {
    return selectOne(m, `SELECT "version", "snapshot" FROM "incident" WHERE "id" = $1${forUpdate(m)}`, [id]);
  }

  /** The new state, one version on, only if nobody saved another meanwhile (a dispatch in flight then fails its version check). */
  async saveSnapshot(m: EntityManager, id: string, snapshot: unknown, version: number, at: string): Promise<boolean> {
    return (await execute(m, 'UPDATE "incident" SET "snapshot" = $1, "version" = $2, "updated_at" = $3 WHERE "id" = $4 AND "version" = $5',
      [JSON.stringify(snapshot), version + 1, at, id, version])) === 1;
  }

  async saveEventText(m: EntityManager, seq: number, payload: unknown, changes: unknown): Promise<void> {
    await execute(m, 'UPDATE "incident_event" SET "payload" = $1, "changes" = $2 WHERE "seq" = $3',
      [JSON.stringify(payload), changes === null ? null : JSON.stringify(changes), seq]);
  }

  /** Incidents by id after `after`, a page at a time (for a rekey). */
  incidentsAfter(m: EntityManager, after: string, limit: number): Promise<{ id: string; version: number; snapshot: string }[]> {
    return selectRows(m, 'SELECT "id", "version", "snapshot" FROM "incident" WHERE "id" > $1 ORDER BY "id" LIMIT $2', [after, limit]);
  }

  /** The state rewritten as it is (same version): a rekey changes ciphertexts, not the state or its hash. */
  async rewriteSnapshot(m: EntityManager, id: string, snapshot: unknown, version: number): Promise<boolean> {
    return (await execute(m, 'UPDATE "incident" SET "snapshot" = $1 WHERE "id" = $2 AND "version" = $3', [JSON.stringify(snapshot), id, version])) === 1;
  }

  responses(m: EntityManager, incidentId: string): Promise<{ key: string; response: string }[]> {
    return selectRows(m, 'SELECT "key", "response" FROM "idempotency_key" WHERE "incident_id" = $1', [incidentId]);
  }

  async saveResponse(m: EntityManager, incidentId: string, key: string, response: unknown): Promise<void> {
    await execute(m, 'UPDATE "idempotency_key" SET "response" = $1 WHERE "incident_id" = $2 AND "key" = $3', [JSON.stringify(response), incidentId, key]);
  }
}
