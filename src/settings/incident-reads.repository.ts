import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { selectOne, selectRows } from '../persistence/sql';

/**
 * Reads of the incident table made outside the incidents module (the settings' re-schedule of
 * open incidents, the command line's lookup by reference). SQL only. The table is the incidents
 * module's: at merge these two methods belong in its incident.repository.ts.
 */
@Injectable()
export class IncidentReadsRepository {
  /** Every open incident's id and stored snapshot. */
  openSnapshots(m: EntityManager): Promise<{ id: string; snapshot: string }[]> {
    return selectRows(m, 'SELECT "id", "snapshot" FROM "incident" WHERE "is_open" = 1 ORDER BY "id"');
  }

  /** The id of the incident with this reference (BF-2026-0001) or this id, or null. */
  async idOfReferenceOrId(m: EntityManager, ref: string): Promise<string | null> {
    const row = await selectOne<{ id: string }>(m, 'SELECT "id" FROM "incident" WHERE "reference" = $1 OR "id" = $1', [ref]);
    return row?.id ?? null;
  }
}
