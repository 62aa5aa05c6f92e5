import { EntityManager } from 'typeorm';
import { RedactionRepository } from './redaction.repository';

/** One rewrite of stored free text: the value with its sealed strings rewritten, and how many were. */
export type TextRewrite = (value: unknown) => { value: unknown; count: number };

export interface IncidentText {
  incidentId: string;
  /** The incident's stored state (JSON text), as read in this unit of work. */
  snapshot: string;
  /** Its events, payload and changes parsed (storedAuditEntriesOf). */
  events: readonly { seq: number; payload: unknown; changes: unknown }[];
  /** Saves the rewritten state; the caller decides the version and what a lost race means. */
  saveState: (state: unknown) => Promise<void>;
}

/**
 * The one walk over an incident's free text that a redaction and a `phi rekey` share: every event's
 * payload and changes, the incident's state, and its stored idempotent responses, each rewritten
 * by `rewrite` and saved only when something in it changed. Answers the number of values rewritten.
 */
export async function rewriteIncidentText(m: EntityManager, text: IncidentText, rewrite: TextRewrite, repo: RedactionRepository): Promise<number> {
  let n = 0;
  for (const e of text.events) {
    const payload = rewrite(e.payload);
    const changes = rewrite(e.changes);
    if (payload.count + changes.count === 0) continue;
    n += payload.count + changes.count;
    await repo.saveEventText(m, e.seq, payload.value, changes.value);
  }
  const state = rewrite(JSON.parse(text.snapshot));
  if (state.count > 0) {
    await text.saveState(state.value);
    n += state.count;
  }
  for (const r of await repo.responses(m, text.incidentId)) {
    const response = rewrite(JSON.parse(r.response));
    if (response.count === 0) continue;
    n += response.count;
    await repo.saveResponse(m, text.incidentId, r.key, response.value);
  }
  return n;
}
