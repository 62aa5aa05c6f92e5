import { createHash } from 'node:crypto';
import type { AuditEntry } from '../audit/audit-trail';
import { canonicalJson } from '../audit/canonical';
import { FreeTextProof, openWithProofs } from '../audit/free-text';
import type { PhiCipher } from '../roster/phi-cipher';
import type { ContentCheck, DossierProblem } from './dossier-verify';
import { checkAgainstPractice, PracticeCheckpoint } from './practice-checkpoint';

/** The file of the dossier holding the incident's audit trail, one event a line, then a checkpoint. */
export const AUDIT_TRAIL_FILE = 'audit-trail.jsonl';

export const EXPORT_GENESIS = '0'.repeat(64);

/** An event of the trail as stored (the server chain's own fields kept as they are). */
export type StoredEvent = { seq: number } & Record<string, unknown>;

/**
 * The incident's stored events as the dossier exports them: free text opened for the reader, and
 * where it was sealed, its commitment and salt (`freeText`), so a verifier with the audit key can
 * put the commitment back and recompute the practice chain's hash without the PHI key.
 */
export function exportedEvents(stored: readonly AuditEntry[], cipher: PhiCipher | null, aad: string): StoredEvent[] {
  return stored.map((e) => {
    if (!cipher) return e as unknown as StoredEvent;
    const payload = openWithProofs(e.payload, cipher, aad, ['payload']);
    const changes = openWithProofs(e.changes, cipher, aad, ['changes']);
    const freeText: FreeTextProof[] = [...payload.proofs, ...changes.proofs];
    return { ...e, payload: payload.value, changes: changes.value, ...(freeText.length ? { freeText } : {}) } as unknown as StoredEvent;
  });
}

export interface ExportedEvent {
  kind: 'event';
  event: StoredEvent;
  /** SHA-256 of the previous line's link and this event: the dossier's own, keyless chain. */
  link: string;
}

export interface ExportCheckpoint {
  kind: 'checkpoint';
  events: number;
  head: string;
  exportedAt: string;
  /** The practice's signed checkpoint of its whole audit chain, taken at the export. */
  practice?: PracticeCheckpoint;
}

export function linkOf(previous: string, event: StoredEvent): string {
  return createHash('sha256').update(`${previous}\n${canonicalJson(event)}`).digest('hex');
}

/**
 * The trail's lines: each event with its link (sha256 of the previous link, a newline and the
 * event's canonical JSON), then a checkpoint naming the count and the head. Anyone with a SHA-256
 * tool can recompute it (docs/dossier.md); removing, reordering or editing a line breaks it.
 */
export function auditTrailLines(events: StoredEvent[], exportedAt: string, practice?: PracticeCheckpoint): { text: string; checkpoint: ExportCheckpoint } {
  let link = EXPORT_GENESIS;
  const lines: string[] = [];
  for (const event of events) {
    link = linkOf(link, event);
    lines.push(JSON.stringify({ kind: 'event', event, link } satisfies ExportedEvent));
  }
  const checkpoint: ExportCheckpoint = { kind: 'checkpoint', events: events.length, head: link, exportedAt, ...(practice ? { practice } : {}) };
  lines.push(JSON.stringify(checkpoint));
  return { text: `${lines.join('\n')}\n`, checkpoint };
}

function parseLine(text: string): ExportedEvent | ExportCheckpoint | null {
  try {
    const v = JSON.parse(text) as ExportedEvent | ExportCheckpoint;
    if (v && v.kind === 'event' && typeof v.link === 'string' && v.event && typeof v.event.seq === 'number') return v;
    if (v && v.kind === 'checkpoint' && typeof v.events === 'number' && typeof v.head === 'string') return v;
  } catch {
    // reported below
  }
  return null;
}

/**
 * Checks the trail's chain from the first event to the checkpoint, naming the first line that
 * breaks it (`audit-trail.jsonl#N, event #seq`), then the events against the practice's signed
 * checkpoint (practice-checkpoint.ts), with the audit key when the verifier has it.
 */
export function auditTrailCheck(auditKey?: Buffer): ContentCheck {
  return (path, content) => checkTrail(path, content, auditKey);
}

/** The trail's check without the practice's audit key (what any third party can run). */
export const checkAuditTrail: ContentCheck = auditTrailCheck();

function checkTrail(path: string, content: Buffer, auditKey: Buffer | undefined): DossierProblem[] {
  if (path !== AUDIT_TRAIL_FILE) return [];
  const seen: { line: number; event: ExportedEvent['event'] }[] = [];
  const lines = content.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  let link = EXPORT_GENESIS;
  let count = 0;
  let lastSeq = 0;
  for (let i = 0; i < lines.length; i++) {
    const where = `${AUDIT_TRAIL_FILE}#${i + 1}`;
    const line = parseLine(lines[i]);
    if (!line) return [{ where, message: 'is not an event or checkpoint line: the file was edited' }];
    if (line.kind === 'checkpoint') {
      if (i !== lines.length - 1) return [{ where, message: 'a checkpoint stands before the last line: lines were added after it' }];
      if (line.events !== count || line.head !== link) {
        return [{ where, message: `the checkpoint says ${line.events} events ending in ${line.head}, but the lines before it hold ${count} ending in ${link}: an event was removed, added or edited (the last one, if every link before held)` }];
      }
      return checkAgainstPractice(AUDIT_TRAIL_FILE, line.practice, line.exportedAt, seen, auditKey);
    }
    const expected = linkOf(link, line.event);
    if (line.link !== expected) {
      return [{ where: `${where}, event #${line.event.seq}`, message: `its link does not follow from the line before it: the event before it (after #${lastSeq || 'the start'}) was removed, or this one was edited` }];
    }
    link = expected;
    seen.push({ line: i + 1, event: line.event });
    lastSeq = line.event.seq;
    count += 1;
  }
  return [{ where: AUDIT_TRAIL_FILE, message: 'has no checkpoint line at its end: it was cut short' }];
}
