/**
 * The kinds of evidence a practice attaches to an incident: a closed list, so a dossier, the
 * claim package and the steps that need evidence can name what is there and what is missing.
 */
export const ATTACHMENT_KINDS = [
  'forensic_report',
  'police_report',
  'law_enforcement_statement',
  'encryption_evidence',
  'destruction_certificate',
  'invoice',
  'correspondence',
  'other',
] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export const ATTACHMENT_KIND_LABELS: Record<AttachmentKind, string> = {
  forensic_report: 'Forensic report',
  police_report: 'Police or IC3 report',
  law_enforcement_statement: 'Law-enforcement statement',
  encryption_evidence: 'Encryption evidence',
  destruction_certificate: 'Certificate of destruction',
  invoice: 'Invoice',
  correspondence: 'Correspondence',
  other: 'Other',
};

/** The steps of an incident that want evidence attached. */
export type EvidenceStep = 'safe_harbor' | 'assessment' | 'hold' | 'insurance';

/** The events (forms) of each step: where the incident page names the evidence the step wants. */
export const EVIDENCE_STEP_EVENTS: Record<EvidenceStep, readonly string[]> = {
  safe_harbor: ['safeHarbor.assessed'],
  assessment: ['assessment.completed'],
  hold: ['hold.placed', 'hold.followUp'],
  insurance: ['insurance.costRecorded'],
};

/** What a step needs as evidence, and why, in words for the privacy officer. */
export interface EvidenceNeed {
  kind: AttachmentKind;
  step: EvidenceStep;
  why: string;
}

export const EVIDENCE_NEEDS: readonly EvidenceNeed[] = [
  {
    kind: 'encryption_evidence',
    step: 'safe_harbor',
    why: 'Safe harbor for encryption rests on proof that the device or file was encrypted with a named process and the key was not compromised (45 CFR 164.402, "unsecured protected health information"; 164.414(b): the practice bears the burden of proof). Attach the encryption report or management console export.',
  },
  {
    kind: 'destruction_certificate',
    step: 'safe_harbor',
    why: 'Safe harbor for destruction rests on proof the media were shredded, pulped, pulverized, incinerated or cleared, purged or destroyed per NIST SP 800-88 (45 CFR 164.402; 164.414(b)). Attach the certificate of destruction.',
  },
  {
    kind: 'law_enforcement_statement',
    step: 'hold',
    why: 'A written law-enforcement statement delays notice for the period it states (45 CFR 164.412(a)); an oral one must be documented with the official\'s identity (164.412(b)). Attach the statement.',
  },
  {
    kind: 'forensic_report',
    step: 'assessment',
    why: 'The four-factor assessment must show a low probability of compromise, or notice is owed (45 CFR 164.402(2)); whether PHI was actually acquired or viewed (factor 3) is shown by the forensic report, and the practice bears the burden of proof (164.414(b)). Attach the report.',
  },
  {
    kind: 'invoice',
    step: 'insurance',
    why: 'A cyber policy pays a cost against its invoice (the policy\'s proof-of-loss condition); a cost without one is listed as missing documentation in the claim package. Attach the invoice, then name it on the cost.',
  },
];

/** The needs of a step's event (form), with whether a current attachment of that kind is there. */
export function evidenceFor(eventType: string, currentKinds: readonly AttachmentKind[]): (EvidenceNeed & { attached: boolean })[] {
  return EVIDENCE_NEEDS
    .filter((n) => EVIDENCE_STEP_EVENTS[n.step].includes(eventType))
    .map((n) => ({ ...n, attached: currentKinds.includes(n.kind) }));
}

/** Records are kept six years from the later of their creation or last effect (45 CFR 164.530(j)(2)). */
export const RETENTION_YEARS = 6;
