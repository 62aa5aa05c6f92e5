import { EntityManager } from 'typeorm';
import type { PhiCipher } from '../roster/phi-cipher';
import { freeTextAad, resealFreeText } from './free-text';
import { RedactionRepository } from './redaction.repository';

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
      count += await unit(async (m) => {
        let n = 0;
        for (const e of await repo.eventsOf(m, inc.id)) {
          const payload = resealFreeText(JSON.parse(e.payload), from, to, aad);
          const changes = resealFreeText(e.changes === null ? null : JSON.parse(e.changes), from, to, aad);
          if (payload.count + changes.count === 0) continue;
          n += payload.count + changes.count;
          await repo.saveEventText(m, e.seq, payload.value, changes.value);
        }
        const state = resealFreeText(JSON.parse(inc.snapshot), from, to, aad);
        if (state.count) {
          if (!(await repo.rewriteSnapshot(m, inc.id, state.value, inc.version))) throw new Error('an incident changed during the rekey: run it with the server stopped');
          n += state.count;
        }
        for (const r of await repo.responses(m, inc.id)) {
          const response = resealFreeText(JSON.parse(r.response), from, to, aad);
          if (!response.count) continue;
          n += response.count;
          await repo.saveResponse(m, inc.id, r.key, response.value);
        }
        return n;
      });
    }
    after = incidents[incidents.length - 1].id;
  }
}
