import { LocalDate } from '../rules/calendar';
import {
  DestructionSafeguard,
  EncryptionSafeguard,
  ExceptionId,
  IncidentFacts,
  LawEnforcementStatement,
} from '../rules/facts';
import { NotificationPlan } from '../rules/plan.types';
import { Cents, CostEntry, CoveragePart } from '../insurance/coverage';

/** Bump when the machine's states or context change shape; stored with every snapshot. */
export const MACHINE_VERSION = 1;

export const CONTAINMENT_ITEMS = [
  'stop_exposure',
  'preserve_evidence',
  'reset_credentials',
  'engage_forensics',
  'call_insurer_hotline',
] as const;
export type ContainmentItem = (typeof CONTAINMENT_ITEMS)[number];

export const CONTAINMENT_LABELS: Record<ContainmentItem, string> = {
  stop_exposure: 'Stop the exposure',
  preserve_evidence: 'Preserve evidence',
  reset_credentials: 'Reset credentials',
  engage_forensics: 'Engage forensics',
  call_insurer_hotline: "Call the insurer's breach hotline",
};

export interface ContainmentStatus {
  status: 'open' | 'done' | 'not_applicable';
  note?: string;
}

export const RISK_FACTORS = ['nature_of_phi', 'unauthorized_person', 'acquired_or_viewed', 'mitigation'] as const;
export type RiskFactor = (typeof RISK_FACTORS)[number];

export interface FactorFinding {
  finding: string;
  evidence: string;
}

export interface Proof {
  sentOn: LocalDate;
  method: string;
  count?: number;
  reference?: string;
  /** Sent while a law-enforcement hold was in force, confirmed by the person who recorded it. */
  duringHold?: { holdEndsOn: LocalDate; reason: string };
}

/** A proof superseded by a correction: kept, with why it was corrected. */
export interface SupersededProof {
  proof: Proof;
  reason: string;
}

/** A later mailing on an obligation already proven (people added after the first was sent). */
export interface FurtherMailing {
  sentOn: LocalDate;
  method: string;
  count: number;
  /** The letter batch mailed: each batch is recorded once. */
  batchId: string;
  duringHold?: Proof['duringHold'];
}

/** How one obligation of the plan is being worked: the plan says what, this says how far. */
export interface ObligationTracking {
  status: 'open' | 'done' | 'waived' | 'withdrawn';
  proof?: Proof;
  reason?: string;
  /** Proofs of earlier mailings or filings, when more individuals turned up after them. */
  earlier?: Proof[];
  /** Proofs corrected since they were recorded (a typo in a date), oldest first. */
  superseded?: SupersededProof[];
  /** Later mailings on the same obligation, oldest first; the first proof stays `proof`
   *  (45 CFR 164.404(d)(1)(i): notice "in one or more mailings as information is available"). */
  furtherMailings?: FurtherMailing[];
}

export type NotReportableReason = 'safe_harbor' | 'exception' | 'low_probability' | 'not_phi';

export interface Decision {
  outcome: NotReportableReason | 'notify';
  reason: string;
  citation: string;
}

export interface InsurancePolicy {
  carrier: string;
  policyNumber?: string;
  /** Days from discovery the policy allows for notice of a breach. */
  noticeWindowDays: number;
  periodStart?: LocalDate;
  periodEnd?: LocalDate;
  /** The retention (deductible), the aggregate limit and per-part sub-limits, in cents. */
  retention?: Cents;
  aggregateLimit?: Cents;
  subLimits?: Partial<Record<CoveragePart, Cents>>;
  excludedParts?: CoveragePart[];
  consentRequired?: CoveragePart[];
  panelVendors?: string[];
  proofOfLossMonthsAfterPeriod?: number;
}

/** The policy's terms as an event gives them: amounts in dollars (two decimals at most). */
export interface PolicyTerms {
  carrier: string;
  policyNumber?: string;
  noticeWindowDays: number;
  periodStart?: LocalDate;
  periodEnd?: LocalDate;
  retention?: number;
  aggregateLimit?: number;
  subLimits?: Partial<Record<CoveragePart, number>>;
  excludedParts?: CoveragePart[];
  consentRequired?: CoveragePart[];
  panelVendors?: string[];
  proofOfLossMonthsAfterPeriod?: number;
}

export interface InsuranceRecord {
  policy?: InsurancePolicy;
  noticeGivenOn?: LocalDate;
  noticeMethod?: string;
  claimNumber?: string;
  claimFiledOn?: LocalDate;
  outcome?: { kind: 'settled' | 'denied' | 'withdrawn'; on: LocalDate; amount?: number; reason?: string };
  /** The cost ledger (absent on incidents recorded before it existed). */
  costs?: CostEntry[];
  proofOfLossFiledOn?: LocalDate;
}

export interface IncidentContext {
  reference: string;
  summary: string;
  facts: IncidentFacts;
  plan: NotificationPlan;
  tracking: Record<string, ObligationTracking>;
  containment: Record<ContainmentItem, ContainmentStatus>;
  assessment: { factors?: Record<RiskFactor, FactorFinding>; lowProbability?: boolean; skipped?: string } | null;
  decision: Decision | null;
  insurance: InsuranceRecord;
  closure: { outcome: 'notified' | 'not_reportable'; reason: string } | null;
  reopenings: number;
  /** Who works this incident and gets its reminders; the practice's privacy officer when null. */
  privacyOfficerEmail: string | null;
  /** What the latest change of facts took off the plan, shown to whoever made it (absent: nothing). */
  removedByLastChange?: RemovedObligation[];
}

/** An open obligation a change of facts withdrew, with the plan's words for why. */
export interface RemovedObligation {
  key: string;
  recipient: string;
  reason: string;
}

export interface IncidentInput {
  reference: string;
  summary: string;
  facts: IncidentFacts;
  privacyOfficerEmail?: string | null;
}

/** Partial changes to the facts; `discovery` needs a reason when it moves. */
export type FactsChange = Partial<Pick<IncidentFacts, 'discovery' | 'affected' | 'dataFormat' | 'determinedOn' | 'entity' | 'businessAssociate' | 'dataElements'>>;

/** Recording a notice sent while a law-enforcement hold is in force needs both (164.412). */
export interface HoldConfirmation {
  holdConfirmed?: boolean;
  holdReason?: string;
}

export type IncidentEvent =
  | { type: 'triage.started' }
  | { type: 'incident.accepted'; note?: string }
  | { type: 'incident.dismissed'; reason: string }
  | { type: 'containment.itemResolved'; item: ContainmentItem; status: 'done' | 'not_applicable'; note?: string }
  | { type: 'containment.completed' }
  | { type: 'safeHarbor.assessed'; encryption?: EncryptionSafeguard; destruction?: DestructionSafeguard; note?: string }
  | { type: 'assessment.exceptionApplied'; exception: ExceptionId; basis: string }
  | { type: 'assessment.completed'; factors: Record<RiskFactor, FactorFinding>; lowProbability: boolean }
  | { type: 'assessment.skipped'; reason: string }
  | { type: 'notice.sent'; key: string; sentOn: LocalDate; method: string; count?: number; reference?: string } & HoldConfirmation
  /** A later batch mailed on an obligation already proven; recorded by marking the batch sent. */
  | { type: 'notice.furtherMailing'; key: string; sentOn: LocalDate; method: string; count: number; batchId: string } & HoldConfirmation
  | { type: 'proof.corrected'; key: string; sentOn?: LocalDate; method?: string; count?: number; reference?: string; reason: string } & HoldConfirmation
  | { type: 'obligation.waived'; key: string; reason: string }
  | { type: 'facts.updated'; changes: FactsChange; reason: string }
  /** The privacy officer accepts re-planning with the loaded rule pack (its version, as the preview named it). */
  | { type: 'plan.packAccepted'; rulePackVersion: string; reason?: string }
  | { type: 'hold.placed'; statement: LawEnforcementStatement['statement']; receivedOn: LocalDate; delayUntil?: LocalDate; official?: string }
  | { type: 'hold.followUp'; receivedOn: LocalDate; delayUntil?: LocalDate; official?: string }
  | { type: 'hold.lifted'; liftedOn: LocalDate }
  | ({ type: 'insurance.policyRecorded' } & PolicyTerms)
  | { type: 'insurance.costRecorded'; on: LocalDate; vendor: string; amount: number; part: CoveragePart; description?: string; invoiceAttachmentId?: string; consentOn?: LocalDate; batchId?: string }
  | { type: 'insurance.costConsented'; cost: string; on: LocalDate }
  | { type: 'insurance.costWithdrawn'; cost: string; reason: string }
  | { type: 'insurance.proofOfLossFiled'; on: LocalDate }
  | { type: 'insurance.noticeGiven'; on: LocalDate; method: string }
  | { type: 'insurance.claimFiled'; on: LocalDate; claimNumber: string }
  | { type: 'insurance.settled'; on: LocalDate; amount: number }
  | { type: 'insurance.denied'; on: LocalDate; reason: string }
  | { type: 'insurance.withdrawn'; on: LocalDate; reason: string }
  | { type: 'incident.assigned'; privacyOfficerEmail: string | null }
  | { type: 'incident.closed'; note?: string }
  | { type: 'incident.reopened'; reason: string; changes?: FactsChange };

export type IncidentEventType = IncidentEvent['type'];
