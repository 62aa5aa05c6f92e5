import { daysInMonth, LocalDate, parseLocalDate } from '../rules/calendar';
import {
  COVERAGE_PART_LABELS,
  COVERAGE_PARTS,
  Cents,
  CostEntry,
  CoveragePart,
  CyberPolicy,
  formatDollars,
  needsConsent,
} from './coverage';

export type LedgerWarningKind =
  | 'consent_missing'
  | 'consent_after_cost'
  | 'not_covered'
  | 'sub_limit_exhausted'
  | 'aggregate_exhausted'
  | 'non_panel_vendor'
  | 'invoice_missing';

export interface LedgerWarning {
  kind: LedgerWarningKind;
  /** The entry it is about, or absent for a whole part or the whole claim. */
  entryId?: string;
  part?: CoveragePart;
  message: string;
}

export interface PartTotal {
  part: CoveragePart;
  label: string;
  /** Everything booked against the part. */
  incurred: Cents;
  /** What the policy can respond to: covered part, consent in order. */
  eligible: Cents;
  subLimit: Cents | null;
  /** Eligible and within the sub-limit. */
  covered: Cents;
  overSubLimit: Cents;
  /** Left of the sub-limit (null when the part has none). */
  subLimitRemaining: Cents | null;
}

export interface ClaimSummary {
  parts: PartTotal[];
  totalIncurred: Cents;
  totalCovered: Cents;
  retentionApplied: Cents;
  /** What the insurer should pay: covered, after the retention, within the aggregate limit. */
  claimable: Cents;
  overAggregate: Cents;
  /** Everything else: the retention, excluded parts, costs over a limit, costs at risk. */
  borneByPractice: Cents;
  /** Costs left out of `claimable` because their consent is missing: the insurer may refuse them. */
  atRisk: Cents;
  warnings: LedgerWarning[];
}

function normalise(vendor: string): string {
  return vendor.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Why an entry is left out of what the policy responds to, or null when it counts. */
function exclusionOf(policy: CyberPolicy, entry: CostEntry): LedgerWarning | null {
  const label = COVERAGE_PART_LABELS[entry.part];
  const amount = formatDollars(entry.amount);
  if (policy.excludedParts.includes(entry.part)) {
    return {
      kind: 'not_covered', entryId: entry.id, part: entry.part,
      message: `${amount} from ${entry.vendor} is booked as "${label}", which this policy does not cover: the practice bears it.`,
    };
  }
  if (!needsConsent(policy, entry.part)) return null;
  if (entry.consentOn === undefined) {
    return {
      kind: 'consent_missing', entryId: entry.id, part: entry.part,
      message: `${amount} from ${entry.vendor} ("${label}") needs the insurer's consent before it is incurred, and none is recorded: it is left out of the claimable total until the consent is documented.`,
    };
  }
  if (entry.consentOn > entry.on) {
    return {
      kind: 'consent_after_cost', entryId: entry.id, part: entry.part,
      message: `${amount} from ${entry.vendor} ("${label}") was incurred on ${entry.on}, before the insurer consented on ${entry.consentOn}: the policy asks for consent first, so it is left out of the claimable total; ask the carrier to confirm it in writing.`,
    };
  }
  return null;
}

function entryNotes(policy: CyberPolicy, entry: CostEntry, panel: Set<string>): LedgerWarning[] {
  const notes: LedgerWarning[] = [];
  if (entry.invoiceAttachmentId === undefined && entry.fromBatchId === undefined) {
    notes.push({
      kind: 'invoice_missing', entryId: entry.id, part: entry.part,
      message: `${formatDollars(entry.amount)} from ${entry.vendor} has no invoice attached; insurers ask for invoices itemised by coverage part.`,
    });
  }
  if (panel.size > 0 && entry.fromBatchId === undefined && !panel.has(normalise(entry.vendor))
    && entry.part !== 'business_interruption' && entry.part !== 'regulatory' && entry.part !== 'third_party_liability') {
    notes.push({
      kind: 'non_panel_vendor', entryId: entry.id, part: entry.part,
      message: `${entry.vendor} is not on ${policy.carrier}'s panel; a non-panel vendor often needs the carrier's approval first.`,
    });
  }
  return notes;
}

function partTotals(policy: CyberPolicy, entries: CostEntry[], excluded: Set<string>): PartTotal[] {
  return COVERAGE_PARTS.flatMap((part) => {
    const booked = entries.filter((e) => e.part === part);
    if (booked.length === 0) return [];
    const incurred = booked.reduce((sum, e) => sum + e.amount, 0);
    const eligible = booked.filter((e) => !excluded.has(e.id)).reduce((sum, e) => sum + e.amount, 0);
    const subLimit = policy.subLimits[part] ?? null;
    const covered = subLimit === null ? eligible : Math.min(eligible, subLimit);
    return [{
      part,
      label: COVERAGE_PART_LABELS[part],
      incurred,
      eligible,
      subLimit,
      covered,
      overSubLimit: eligible - covered,
      subLimitRemaining: subLimit === null ? null : subLimit - covered,
    }];
  });
}

/**
 * The claim's totals: per coverage part against its sub-limit, then the retention once per claim,
 * then the aggregate limit. Costs that need consent and have none are kept out of what is
 * claimable (the cautious reading) and named in a warning. Pure: the policy and entries in,
 * cents and plain-words warnings out.
 */
export function summariseClaim(policy: CyberPolicy, allEntries: CostEntry[]): ClaimSummary {
  const entries = allEntries.filter((e) => e.withdrawnReason === undefined);
  const warnings: LedgerWarning[] = [];
  const excluded = new Set<string>();
  let atRisk = 0;
  const panel = new Set(policy.panelVendors.map(normalise));
  for (const entry of entries) {
    const why = exclusionOf(policy, entry);
    if (why) {
      excluded.add(entry.id);
      warnings.push(why);
      if (why.kind !== 'not_covered') atRisk += entry.amount;
    }
    warnings.push(...entryNotes(policy, entry, panel));
  }
  const parts = partTotals(policy, entries, excluded);
  for (const p of parts) {
    if (p.subLimit !== null && p.eligible >= p.subLimit) {
      warnings.push({
        kind: 'sub_limit_exhausted', part: p.part,
        message: `The ${p.label} sub-limit of ${formatDollars(p.subLimit)} is exhausted: ${formatDollars(p.overSubLimit)} above it is the practice's.`,
      });
    }
  }
  const totalIncurred = parts.reduce((sum, p) => sum + p.incurred, 0);
  const totalCovered = parts.reduce((sum, p) => sum + p.covered, 0);
  const retentionApplied = Math.min(policy.retention, totalCovered);
  const afterRetention = totalCovered - retentionApplied;
  const claimable = Math.min(afterRetention, policy.aggregateLimit);
  const overAggregate = afterRetention - claimable;
  if (overAggregate > 0) {
    warnings.push({
      kind: 'aggregate_exhausted',
      message: `The aggregate limit of ${formatDollars(policy.aggregateLimit)} is exhausted: ${formatDollars(overAggregate)} above it is the practice's.`,
    });
  }
  return {
    parts,
    totalIncurred,
    totalCovered,
    retentionApplied,
    claimable,
    overAggregate,
    borneByPractice: totalIncurred - claimable,
    atRisk,
    warnings,
  };
}

export interface MailingCostRates {
  /** Postage per letter, in cents. */
  postagePerLetter: Cents;
  /** Printing per page, in cents. */
  printPerPage: Cents;
}

/** The notification cost of one mailing, from its letter and page counts and the practice's rates. */
export function mailingCost(letters: number, pages: number, rates: MailingCostRates): Cents {
  return letters * rates.postagePerLetter + pages * rates.printPerPage;
}

/**
 * The proof-of-loss deadline when the policy gives one in months after the period ends
 * (for example 6 months): the same day of the month, or the month's last day when it has fewer.
 */
export function proofOfLossDue(policy: Pick<CyberPolicy, 'periodEnd' | 'proofOfLossMonthsAfterPeriod'>): LocalDate | null {
  if (policy.proofOfLossMonthsAfterPeriod === undefined) return null;
  const end = parseLocalDate(policy.periodEnd);
  if (!end) return null;
  const months = end.month - 1 + policy.proofOfLossMonthsAfterPeriod;
  const year = end.year + Math.floor(months / 12);
  const month = (months % 12) + 1;
  const day = Math.min(end.day, daysInMonth(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
