import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { selectRows } from '../persistence/sql';

/** The letters' one read of the "incident" table: every incident's id, oldest first (the annual log). */
@Injectable()
export class LetterIncidentRepository {
  async allIds(m: EntityManager): Promise<string[]> {
    return (await selectRows<{ id: string }>(m, 'SELECT "id" FROM "incident" ORDER BY "created_at"')).map((r) => r.id);
  }
}
