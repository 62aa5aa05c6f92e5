import { EntityManager } from 'typeorm';
import type { PhiCipher } from '../roster/phi-cipher';
import { freeTextAad, resealFreeText } from './free-text';
import { storedAuditEntriesOf } from './audit-trail';
import { RedactionRepository } from './redaction.repository';
import { rewriteIncidentText } from './rewrite-incident-text';

/**
 * `phi rekey` for free text: every sealed summary, note and reason (events, incident states, stored
 * responses) re-sealed under the new key with the same salt and commitment, so neither the chain
 * nor the state hashes change. An incident per unit of work; resumable (a value that already opens
 * under the new key is kept).
 */
type Unit = <T>(work: (m: EntityManager) => Promise<T>) => Promise<T>;

export async function rekeyFreeText(unit: Unit, from: PhiCipher, to: PhiCipher): Promise<number> {
  const repo = new RedactionRepository();
  let count = 0;
  for (let after = ''; ;) {
    const incidents = await unit((m) => repo.incidentsAfter(m, after, 100));
    if (!incidents.length) return count;
    for (const inc of incidents) {
      const aad = freeTextAad(inc.id);
      count += await unit(async (m) => rewriteIncidentText(m, {
        incidentId: inc.id,
        snapshot: inc.snapshot,
        events: await storedAuditEntriesOf(m, inc.id),
        saveState: async (state) => {
          if (!(await repo.rewriteSnapshot(m, inc.id, state, inc.version))) throw new Error('an incident changed during the rekey: run it with the server stopped');
        },
      }, (value) => resealFreeText(value, from, to, aad), repo));
    }
    after = incidents[incidents.length - 1].id;
  }
}
