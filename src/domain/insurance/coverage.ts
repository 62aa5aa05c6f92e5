import { LocalDate } from '../rules/calendar';

/**
 * The coverage parts of a cyber policy a practice's costs are booked against (the categories
 * cyber policies commonly cover: first-party breach response, extortion, third-party liability).
 * A closed list: a cost is claimable under a part only if the policy has that part.
 */
export const COVERAGE_PARTS = [
  'forensics',
  'breach_counsel',
  'notification',
  'call_centre',
  'credit_monitoring',
  'public_relations',
  'data_restoration',
  'business_interruption',
  'extortion',
  'regulatory',
  'third_party_liability',
] as const;
export type CoveragePart = (typeof COVERAGE_PARTS)[number];

/** Plain words for each part, as a privacy officer and an adjuster call them. */
export const COVERAGE_PART_LABELS: Record<CoveragePart, string> = {
  forensics: 'Forensics (DFIR)',
  breach_counsel: 'Breach counsel',
  notification: 'Notification and mailing',
  call_centre: 'Call centre',
  credit_monitoring: 'Credit monitoring',
  public_relations: 'Public relations',
  data_restoration: 'Data restoration',
  business_interruption: 'Business interruption',
  extortion: 'Cyber extortion',
  regulatory: 'Regulatory defence and fines (where insurable)',
  third_party_liability: 'Third-party liability',
};

/** Extortion payments need the insurer's prior written consent under every common wording. */
export const ALWAYS_NEEDS_CONSENT: readonly CoveragePart[] = ['extortion'];

/** Amounts are whole cents, so totals never round. */
export type Cents = number;

export interface CyberPolicy {
  carrier: string;
  policyNumber?: string;
  periodStart: LocalDate;
  periodEnd: LocalDate;
  /** The retention (deductible) the practice bears once per claim, before the insurer pays. */
  retention: Cents;
  /** The most the policy pays for this claim, all parts together. */
  aggregateLimit: Cents;
  /** Per-part caps; a part absent here is covered up to the aggregate limit. */
  subLimits: Partial<Record<CoveragePart, Cents>>;
  /** Parts the policy does not cover at all (a cost booked there is the practice's). */
  excludedParts: CoveragePart[];
  /** Parts whose costs need the insurer's consent before they are incurred (extortion always). */
  consentRequired: CoveragePart[];
  /** Vendors on the carrier's panel; a non-panel vendor is flagged (often needs pre-approval). */
  panelVendors: string[];
  /** Days after discovery within which the insurer must be told. */
  noticeWindowDays: number;
  /** Months after the end of the policy period by which the proof of loss is due, if the wording says. */
  proofOfLossMonthsAfterPeriod?: number;
}

export interface CostEntry {
  id: string;
  on: LocalDate;
  vendor: string;
  amount: Cents;
  part: CoveragePart;
  description?: string;
  /** The invoice's attachment id, when it is attached. */
  invoiceAttachmentId?: string;
  /** When the insurer consented to this cost; absent means no consent is recorded. */
  consentOn?: LocalDate;
  /** Entered by itself from a letter batch (the mailing's pages and postage). */
  fromBatchId?: string;
  /** Entered by mistake: kept in the ledger (audited), left out of every total. */
  withdrawnReason?: string;
}

export function needsConsent(policy: CyberPolicy, part: CoveragePart): boolean {
  return ALWAYS_NEEDS_CONSENT.includes(part) || policy.consentRequired.includes(part);
}

/** Formats cents as US dollars: 123456 is "$1,234.56". */
export function formatDollars(cents: Cents): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}$${dollars}.${String(abs % 100).padStart(2, '0')}`;
}
