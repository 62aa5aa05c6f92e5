import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { forUpdate, selectOne, selectRows } from '../persistence/sql';

/**
 * Reads of the incident table made outside the incidents module (the settings' re-schedule of
 * open incidents, the command line's lookup by reference, the roster import's lock). SQL only. The table is the incidents
 * module's: at merge these methods belong in its incident.repository.ts.
 */
@Injectable()
export class IncidentReadsRepository {
  /** Every open incident's id and stored snapshot. */
  openSnapshots(m: EntityManager): Promise<{ id: string; snapshot: string }[]> {
    return selectRows(m, 'SELECT "id", "snapshot" FROM "incident" WHERE "is_open" = 1 ORDER BY "id"');
  }

  /**
   * Reads the incident's row locked until the transaction ends (PostgreSQL; SQLite's single writer
   * is a lock already), so two instances starting an import for one incident take turns. False when
   * there is no such incident.
   */
  async lockForChange(m: EntityManager, id: string): Promise<boolean> {
    return (await selectOne<{ id: string }>(m, `SELECT "id" FROM "incident" WHERE "id" = $1${forUpdate(m)}`, [id])) !== null;
  }

  /** The id of the incident with this reference (BF-2026-0001) or this id, or null. */
  async idOfReferenceOrId(m: EntityManager, ref: string): Promise<string | null> {
    const row = await selectOne<{ id: string }>(m, 'SELECT "id" FROM "incident" WHERE "reference" = $1 OR "id" = $1', [ref]);
    return row?.id ?? null;
  }
}
