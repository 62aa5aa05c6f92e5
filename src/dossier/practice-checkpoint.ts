import { hashEntry } from '../audit/audit-trail';
import { macOf } from '../audit/audit-key';
import { canonicalJson } from '../audit/canonical';
import { committedForm, commits, FreeTextProof } from '../audit/free-text';
import type { Checkpoint } from '../audit/checkpoint';
import type { DossierProblem } from './dossier-verify';

/**
 * The practice's signed checkpoint of its audit chain (src/audit/checkpoint.ts), taken when the
 * dossier was exported and carried in the trail's checkpoint line, and what a verifier checks of
 * the dossier's events against it, offline: none comes after it, events next to each other in the
 * chain still link (`prevHash` is the hash before), the chain's last event (when it is this
 * incident's) has the head the checkpoint signed. With the practice's audit key, also the MAC and
 * every event's own hash: an event edited and relinked by someone without the key is caught.
 */
export type PracticeCheckpoint = Checkpoint;

interface ChainEvent { seq: number; hash?: unknown; prevHash?: unknown }

function wellFormed(c: unknown): c is PracticeCheckpoint {
  const p = c as Partial<PracticeCheckpoint> | null;
  const head = (h: unknown) => {
    const x = h as { count?: unknown; head?: unknown } | undefined;
    return !!x && typeof x.count === 'number' && (x.head === null || typeof x.head === 'string');
  };
  return !!p && p.breachflowAuditCheckpoint === 1 && typeof p.at === 'string' && typeof p.mac === 'string' && head(p.incidentEvents) && head(p.accessEvents);
}

/** The hash an event has in the practice's chain, from its content under the key (keyed, or plain from before the chain was keyed). */
function hashHolds(event: Record<string, unknown>, key: Buffer): boolean {
  const { hash, freeText, ...rest } = event;
  const committed = withCommitments(rest, Array.isArray(freeText) ? (freeText as FreeTextProof[]) : []);
  if (!committed) return false;
  const entry = committed as unknown as Parameters<typeof hashEntry>[0];
  return hash === hashEntry(entry, key, true) || hash === hashEntry(entry, key, false);
}

/**
 * The event as the chain hashed it: each opened free text checked against its commitment (with its
 * salt) and replaced by the committed form. Null when a text is not the one committed to.
 */
function withCommitments(event: Record<string, unknown>, proofs: readonly FreeTextProof[]): Record<string, unknown> | null {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  for (const p of proofs) {
    if (!Array.isArray(p?.path) || !p.path.length || typeof p.commitment !== 'string') return null;
    let parent: unknown = copy;
    for (const k of p.path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | null)?.[k];
    const last = p.path[p.path.length - 1];
    if (parent === null || typeof parent !== 'object') return null;
    const holder = parent as Record<string | number, unknown>;
    const text = holder[last];
    if (typeof text !== 'string') return null;
    if (p.salt !== undefined && !commits(p.commitment, p.salt, text)) return null;
    holder[last] = committedForm(p.commitment);
  }
  return copy;
}

export function checkAgainstPractice(
  file: string, practice: unknown, exportedAt: unknown, events: { line: number; event: ChainEvent & Record<string, unknown> }[], auditKey?: Buffer,
): DossierProblem[] {
  const where = (line: number, seq?: number) => `${file}#${line}${seq === undefined ? '' : `, event #${seq}`}`;
  const last = events.length + 1;
  if (practice === undefined) return [{ where: where(last), message: 'carries no signed checkpoint of the practice\'s audit chain: it was removed, or the dossier is not from this version of breachflow' }];
  if (!wellFormed(practice)) return [{ where: where(last), message: 'its practice checkpoint is not a breachflow audit checkpoint: it was edited' }];
  const problems: DossierProblem[] = [];
  if (auditKey) {
    const { mac, ...body } = practice;
    if (macOf(auditKey, canonicalJson(body)) !== mac) problems.push({ where: where(last), message: 'its practice checkpoint was not signed with this audit key: it was edited, or the key is another practice\'s' });
  }
  if (practice.at !== exportedAt) problems.push({ where: where(last), message: `its practice checkpoint was taken at ${practice.at}, not at the export (${String(exportedAt)}): it belongs to another dossier` });
  const { count, head } = practice.incidentEvents;
  let previous: ChainEvent | null = null;
  for (const { line, event } of events) {
    if (event.seq > count) {
      problems.push({ where: where(line, event.seq), message: `comes after the practice's checkpoint, which saw ${count} events at export: it was added to the trail afterwards` });
    } else if (event.seq === count && event.hash !== head) {
      problems.push({ where: where(line, event.seq), message: 'is the last event the practice\'s checkpoint signed, but its hash is not the head it signed: it was edited' });
    }
    if (previous && event.seq === previous.seq + 1 && event.prevHash !== previous.hash) {
      problems.push({ where: where(line, event.seq), message: `its prevHash does not name event #${previous.seq}'s hash, as the practice's chain has them: one of the two was edited` });
    }
    if (auditKey && !hashHolds(event, auditKey)) {
      problems.push({ where: where(line, event.seq), message: 'is not as the practice\'s chain holds it: its hash does not follow from its content under the audit key (edited, then relinked)' });
    }
    previous = event;
  }
  return problems;
}
