import { AttachmentView } from '../attachments/attachments.service';
import { AuditEntry } from '../audit/audit-trail';
import { Actor, hasRole } from '../auth/actor';
import { ATTACHMENT_KIND_LABELS, ATTACHMENT_KINDS, AttachmentKind, EVIDENCE_NEEDS, EvidenceStep } from '../domain/evidence/attachment-kinds';
import { stepName } from './plain-words';

/** What the evidence page shows: the attachments, what each step still wants, the upload form. */

const STEP_LABELS: Record<EvidenceStep, string> = {
  safe_harbor: 'Safe-harbor check', assessment: 'Risk assessment', hold: 'Law-enforcement hold', insurance: 'Insurance claim',
};

/** 1536 as "1.5 KB": sizes a person reads (the exact bytes stay in the title and the dossier). */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1048576).toFixed(1)} MB`;
}

/** "2026-03-10T15:04:00.000Z" as "2026-03-10 15:04 UTC". */
export function whenText(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The privacy officer attaches to any incident, an owner only to one they reported (the service checks it again). */
export function mayAttach(actor: Pick<Actor, 'id' | 'role' | 'roles'> | undefined, events: readonly Pick<AuditEntry, 'actor'>[]): boolean {
  if (!actor) return false;
  return hasRole(actor, 'privacy_officer') || (hasRole(actor, 'owner') && events[0]?.actor === actor.id);
}

/** The kinds as a select's options, one preselected. */
export function kindOptions(chosen: AttachmentKind | null = null) {
  return ATTACHMENT_KINDS.map((k) => ({ value: k, label: ATTACHMENT_KIND_LABELS[k], selected: k === chosen }));
}

export function isAttachmentKind(v: unknown): v is AttachmentKind {
  return typeof v === 'string' && (ATTACHMENT_KINDS as readonly string[]).includes(v);
}

export function evidencePage(input: {
  id: string; attachments: AttachmentView[]; events: AuditEntry[]; kind?: unknown; canUpload: boolean; canDownload: boolean; maxMb: number;
}) {
  const { id, attachments, events } = input;
  const numberOf = new Map(attachments.map((a) => [a.id, a.number]));
  // The step an attachment was filed at: the incident's phase when its evidence.attached event was written.
  const stepOf = new Map(events.filter((e) => e.type === 'evidence.attached').map((e) => [(e.payload as { id?: string }).id, stepName(e.toPhase)]));
  const current = attachments.filter((a) => a.supersededBy === null);
  const rows = attachments.map((a) => ({
    ...a, step: stepOf.get(a.id) ?? '', size: fileSize(a.bytes), when: whenText(a.at), who: a.actor.replace(/ <.*>$/, ''),
    superseded: a.supersededBy !== null, supersededByNumber: a.supersededBy ? numberOf.get(a.supersededBy) ?? null : null,
    supersedesNumber: a.supersedes ? numberOf.get(a.supersedes) ?? null : null,
    href: input.canDownload ? `/api/incidents/${id}/attachments/${a.id}/file` : null,
  }));
  const chosen = isAttachmentKind(input.kind) ? input.kind : null;
  const needs = EVIDENCE_NEEDS.map((n) => ({
    ...n, label: ATTACHMENT_KIND_LABELS[n.kind], stepLabel: STEP_LABELS[n.step],
    attached: current.some((a) => a.kind === n.kind), href: `/incidents/${id}/evidence?kind=${n.kind}#upload`,
  }));
  return {
    id, rows, needs, canUpload: input.canUpload, canDownload: input.canDownload, maxMb: input.maxMb,
    chosenWhy: chosen ? EVIDENCE_NEEDS.find((n) => n.kind === chosen)?.why ?? null : null,
    kinds: kindOptions(chosen),
    correctable: current.map((a) => ({ value: a.id, label: `#${a.number} ${a.kindLabel}: ${a.fileName}` })),
  };
}
