import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MailingCount } from '../domain/evidence/dossier-story';
import { selectRows } from '../persistence/sql';

/** The dossier's own reads: counts of the roster's mailings (never a sealed field); portable SQL (src/persistence/sql.ts). */
@Injectable()
export class DossierRepository {
  async mailingCounts(m: EntityManager, incidentId: string): Promise<MailingCount[]> {
    const rows = await selectRows<{ state: string; method: MailingCount['method']; people: number | string }>(
      m,
      `SELECT p."resident_state" AS "state",
         CASE WHEN p."returned_on" IS NOT NULL OR (p."has_address" = 0 AND p."email_ok" = 0) THEN 'unreachable'
              WHEN b."sent_on" IS NULL THEN 'not sent yet'
              WHEN p."email_ok" = 1 THEN 'email' ELSE 'mail' END AS "method",
         CAST(COUNT(*) AS INTEGER) AS "people"
       FROM "roster_person" p LEFT JOIN "letter_batch" b ON b."id" = p."notified_batch"
       WHERE p."incident_id" = $1 AND p."active" = 1
       GROUP BY 1, 2 ORDER BY 1, 2`,
      [incidentId],
    );
    return rows.map((r) => ({ state: r.state, method: r.method, people: Number(r.people) }));
  }
}
