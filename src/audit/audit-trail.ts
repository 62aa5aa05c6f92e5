import { EntityManager } from 'typeorm';
import { AuditChainHeadRepository } from './audit-chain-head.repository';
import { AuditEventRepository, IncidentEventRow } from './audit-event.repository';
import { IncidentRepository } from '../incidents/incident.repository';
import { auditKeyOf, keyedFrom, linkHash } from './audit-key';
import { canonicalJson, sha256 } from './canonical';
import { brokenCommitment, commitmentsOnly, freeTextAad, freeTextCipherOf, hasFreeTextCipher, openFreeText, sealFreeText } from './free-text';

/**
 * The append-only, hash-chained audit trail. Each event stores the HMAC-SHA256, under the audit key
 * (kept outside the database), of its canonical form, which includes the hash of the event before
 * it, so an edit, an insertion or a removal anywhere breaks every link after it, and nobody without
 * the key can recompute the links. Each event also stores the hash of the incident state it produced.
 * A removed LAST event leaves no broken link: a checkpoint kept elsewhere catches that.
 */

export const GENESIS_HASH = '0'.repeat(64);

const chainHeads = new AuditChainHeadRepository();
const events = new AuditEventRepository();
const incidents = new IncidentRepository();

export interface AuditEntryInput {
  incidentId: string;
  incidentVersion: number;
  type: string;
  payload: unknown;
  changes: unknown;
  fromPhase: string | null;
  toPhase: string;
  actor: string;
  at: string;
  stateHash: string;
}

export interface AuditEntry extends AuditEntryInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export function hashEntry(e: Omit<AuditEntry, 'hash'>, key: Buffer, keyed: boolean): string {
  return linkHash(key, keyed, canonicalJson({
    seq: e.seq, incidentId: e.incidentId, incidentVersion: e.incidentVersion, type: e.type,
    payload: commitmentsOnly(e.payload), changes: commitmentsOnly(e.changes), fromPhase: e.fromPhase, toPhase: e.toPhase,
    actor: e.actor, at: e.at, stateHash: e.stateHash, prevHash: e.prevHash,
  }));
}

/** The hash of a stored state: its sealed free text stands for its commitment, so a redaction or a rekey leaves it as it was. */
export function stateHash(storedSnapshot: unknown): string {
  return sha256(canonicalJson(commitmentsOnly(storedSnapshot)));
}

function fromRow(r: IncidentEventRow): AuditEntry {
  return {
    seq: Number(r.seq), incidentId: r.incident_id, incidentVersion: Number(r.incident_version), type: r.type,
    payload: JSON.parse(r.payload), changes: r.changes === null ? null : JSON.parse(r.changes),
    fromPhase: r.from_phase, toPhase: r.to_phase, actor: r.actor, at: r.at,
    stateHash: r.state_hash, prevHash: r.prev_hash, hash: r.hash,
  };
}

/**
 * Appends one event; call inside the transaction that made the change it records.
 *
 * The chain's head is a row every writer needs (on PostgreSQL locked from its advance until the
 * commit), so everything that does not need it is done first: the sealing, the chain's keyed_from.
 * Once it is taken, the hash is computed at once and the event and the head's new hash are sent
 * together: the lock is never held across a wait for this process's other work.
 */
export async function appendAuditEntry(m: EntityManager, input: AuditEntryInput): Promise<AuditEntry> {
  const sealed = sealedEntry(m, input);
  const keyedFromSeq = await keyedFrom(m, 'incident_event');
  return appendAt(m, await chainHeads.advance(m, 'incident_event'), sealed, keyedFromSeq, input);
}

/** The entry as it is stored and hashed: free text sealed, the chain holds its commitment only. */
function sealedEntry(m: EntityManager, input: AuditEntryInput): AuditEntryInput {
  const cipher = freeTextCipherOf(m);
  const aad = freeTextAad(input.incidentId);
  return { ...input, payload: sealFreeText(input.payload, cipher, aad), changes: sealFreeText(input.changes, cipher, aad) };
}

/** Writes one sealed event at the seq the chain's head gave it; answers it with its text open. */
async function appendAt(m: EntityManager, head: { seq: number; prevHash: string }, sealed: AuditEntryInput, keyedFromSeq: number, input: AuditEntryInput): Promise<AuditEntry> {
  const partial = { ...sealed, seq: head.seq, prevHash: head.prevHash };
  const entry: AuditEntry = { ...partial, hash: hashEntry(partial, auditKeyOf(m), partial.seq >= keyedFromSeq) };
  await chainHeads.append(m, 'incident_event', entry.seq, entry.hash,
    events.insert({ ...entry, payload: JSON.stringify(entry.payload), changes: entry.changes === null ? null : JSON.stringify(entry.changes) }));
  return { ...entry, payload: input.payload, changes: input.changes };
}

export async function auditEntriesOf(m: EntityManager, incidentId: string): Promise<AuditEntry[]> {
  const rows = await events.ofIncident(m, incidentId);
  if (!hasFreeTextCipher(m)) return rows.map(fromRow);
  const cipher = freeTextCipherOf(m);
  const aad = freeTextAad(incidentId);
  return rows.map(fromRow).map((e) => ({ ...e, payload: openFreeText(e.payload, cipher, aad), changes: openFreeText(e.changes, cipher, aad) }));
}

/** One incident's events as stored: free text sealed or redacted (for a redaction). */
export async function storedAuditEntriesOf(m: EntityManager, incidentId: string): Promise<AuditEntry[]> {
  const rows = await events.ofIncident(m, incidentId);
  return rows.map(fromRow);
}

export interface BrokenLink {
  seq: number | null;
  incidentId: string;
  reference: string | null;
  type: string | null;
  problem: string;
}

export interface ChainReport {
  intact: boolean;
  events: number;
  incidents: number;
  firstBroken: BrokenLink | null;
}

/** Where a walk of a chain ended, intact: its last event's seq and hash, and how many events it verified. */
export interface ChainMark { seq: number; hash: string; events: number }

const PAGE = 1000;

/**
 * Walks the whole chain in order, then checks every incident's state against its last event; with
 * `from` (where an earlier walk ended intact), only the events after it, linked to it (its row must
 * still hold the hash it had), and the states of the incidents they belong to (and of `also`). An
 * intact walk answers where it ended.
 */
export async function verifyAuditChain(m: EntityManager, from?: ChainMark, also?: string): Promise<ChainReport & { mark?: ChainMark }> {
  if (from && (await events.hashAt(m, from.seq)) !== from.hash) return verifyAuditChain(m);
  const references = new Map<string, string>(
    (await incidents.references(m)).map((r) => [r.id, r.reference]),
  );
  const broken = (seq: number | null, incidentId: string, type: string | null, problem: string): ChainReport => ({
    intact: false, events: 0, incidents: references.size,
    firstBroken: { seq, incidentId, reference: references.get(incidentId) ?? null, type, problem },
  });
  const key = auditKeyOf(m);
  const keyed = await keyedFrom(m, 'incident_event');
  // With the PHI key at hand (the server), each sealed text is also checked against its commitment.
  const cipher = hasFreeTextCipher(m) ? freeTextCipherOf(m) : null;
  let prev = from?.hash ?? GENESIS_HASH;
  let expectedSeq = (from?.seq ?? 0) + 1;
  let count = from?.events ?? 0;
  const lastByIncident = new Map<string, AuditEntry>();
  for (let after = from?.seq ?? 0; ; ) {
    const rows = await events.after(m, after, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      let entry: AuditEntry;
      try {
        entry = fromRow(row);
      } catch {
        return { ...broken(row.seq, row.incident_id, row.type, 'its payload is not valid JSON: the row was edited'), events: count };
      }
      if (entry.seq !== expectedSeq || entry.prevHash !== prev) {
        return { ...broken(row.seq, row.incident_id, row.type, `the link to event #${expectedSeq - 1} is broken: an event before it was removed, inserted or edited`), events: count };
      }
      if (hashEntry(entry, key, entry.seq >= keyed) !== entry.hash) {
        return { ...broken(row.seq, row.incident_id, row.type, 'its content does not match its keyed hash: the row was edited, or the chain recomputed without the audit key'), events: count };
      }
      const swapped = cipher ? brokenCommitment([entry.payload, entry.changes], cipher, freeTextAad(entry.incidentId)) : null;
      if (swapped) return { ...broken(row.seq, row.incident_id, row.type, swapped), events: count };
      prev = entry.hash;
      expectedSeq += 1;
      count += 1;
      lastByIncident.set(entry.incidentId, entry);
    }
    after = Number(rows[rows.length - 1].seq);
  }
  // With `from`, an incident with no event since was checked by the walk that ended there; the one
  // a page shows (`also`) is checked against its last event all the same.
  if (from && also && !lastByIncident.has(also)) {
    const last = await events.lastOf(m, also);
    if (last) lastByIncident.set(also, fromRow(last));
  }
  const states = from ? await incidents.statesOf(m, [...lastByIncident.keys()]) : await incidents.states(m);
  for (const inc of states) {
    const last = lastByIncident.get(inc.id);
    let hash: string | null = null;
    try {
      hash = stateHash(JSON.parse(inc.snapshot));
    } catch {
      hash = null;
    }
    if (!last || last.incidentVersion !== Number(inc.version) || last.stateHash !== hash) {
      return { ...broken(null, inc.id, null, 'its stored state does not match its last audited event: the incident row was edited'), events: count };
    }
  }
  return { intact: true, events: count, incidents: references.size, firstBroken: null, mark: { seq: expectedSeq - 1, hash: prev, events: count } };
}

/**
 * Appends an event that records something done for an incident without changing its state (a
 * reminder sent or failed): it carries the incident's current version and state hash, so the
 * chain and the state check both still hold. Answers the entry appended (null: no such incident).
 */
export async function appendIncidentNote(
  m: EntityManager,
  note: { incidentId: string; type: string; payload: unknown; actor: string; at: string },
): Promise<AuditEntry | null> {
  if (!(await incidents.exists(m, note.incidentId))) return null;
  // The chain's head first, then the state it follows: a change committed before the head was taken
  // is read (its version), one still waiting for the head comes after this note in the chain. On
  // PostgreSQL the incident row is not locked here, so a note never waits on a change while holding
  // the head (no deadlock when one transaction notes several incidents).
  const keyedFromSeq = await keyedFrom(m, 'incident_event');
  const head = await chainHeads.advance(m, 'incident_event');
  const row = (await incidents.stateOf(m, note.incidentId))!;
  const input: AuditEntryInput = {
    incidentId: note.incidentId, incidentVersion: Number(row.version), type: note.type, payload: note.payload, changes: null,
    fromPhase: row.phase, toPhase: row.phase, actor: note.actor, at: note.at, stateHash: stateHash(JSON.parse(row.snapshot)),
  };
  return appendAt(m, head, sealedEntry(m, input), keyedFromSeq, input);
}
