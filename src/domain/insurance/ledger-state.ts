import { IncidentEvent, InsurancePolicy, InsuranceRecord, PolicyTerms } from '../lifecycle/incident.types';
import { CostEntry, CoveragePart, CyberPolicy } from './coverage';

/** Dollars (two decimals at most, validated) as whole cents. */
export function toCents(dollars: number): number {
  return Math.round(dollars * 100);
}

function policyOf(terms: PolicyTerms): InsurancePolicy {
  const p: InsurancePolicy = { carrier: terms.carrier, noticeWindowDays: terms.noticeWindowDays };
  if (terms.policyNumber) p.policyNumber = terms.policyNumber;
  if (terms.periodStart) p.periodStart = terms.periodStart;
  if (terms.periodEnd) p.periodEnd = terms.periodEnd;
  if (terms.retention !== undefined) p.retention = toCents(terms.retention);
  if (terms.aggregateLimit !== undefined) p.aggregateLimit = toCents(terms.aggregateLimit);
  if (terms.subLimits) {
    p.subLimits = Object.fromEntries(Object.entries(terms.subLimits).map(([part, d]) => [part, toCents(d!)])) as Partial<Record<CoveragePart, number>>;
  }
  if (terms.excludedParts) p.excludedParts = terms.excludedParts;
  if (terms.consentRequired) p.consentRequired = terms.consentRequired;
  if (terms.panelVendors) p.panelVendors = terms.panelVendors;
  if (terms.proofOfLossMonthsAfterPeriod !== undefined) p.proofOfLossMonthsAfterPeriod = terms.proofOfLossMonthsAfterPeriod;
  return p;
}

/** The insurance record after an insurance event: the policy, notice, claim, outcome and ledger. */
export function insuranceAfter(ins: InsuranceRecord, event: IncidentEvent): InsuranceRecord {
  const costs = ins.costs ?? [];
  switch (event.type) {
    case 'insurance.policyRecorded': {
      const { type: _type, ...terms } = event;
      return { ...ins, policy: policyOf(terms) };
    }
    case 'insurance.noticeGiven':
      return { ...ins, noticeGivenOn: event.on, noticeMethod: event.method };
    case 'insurance.claimFiled':
      return { ...ins, claimFiledOn: event.on, claimNumber: event.claimNumber };
    case 'insurance.settled':
      return { ...ins, outcome: { kind: 'settled', on: event.on, amount: event.amount } };
    case 'insurance.denied':
    case 'insurance.withdrawn':
      return { ...ins, outcome: { kind: event.type === 'insurance.denied' ? 'denied' : 'withdrawn', on: event.on, reason: event.reason } };
    case 'insurance.costRecorded': {
      const entry: CostEntry = { id: `C${costs.length + 1}`, on: event.on, vendor: event.vendor, amount: toCents(event.amount), part: event.part };
      if (event.description) entry.description = event.description;
      if (event.invoiceAttachmentId) entry.invoiceAttachmentId = event.invoiceAttachmentId;
      if (event.consentOn) entry.consentOn = event.consentOn;
      if (event.batchId) entry.fromBatchId = event.batchId;
      return { ...ins, costs: [...costs, entry] };
    }
    case 'insurance.costConsented':
      return { ...ins, costs: costs.map((c) => (c.id === event.cost ? { ...c, consentOn: event.on } : c)) };
    case 'insurance.costWithdrawn':
      return { ...ins, costs: costs.map((c) => (c.id === event.cost ? { ...c, withdrawnReason: event.reason } : c)) };
    case 'insurance.proofOfLossFiled':
      return { ...ins, proofOfLossFiledOn: event.on };
    default:
      return ins;
  }
}

/** Why a ledger event cannot apply now, or null: it names an entry that is not there or not open. */
export function ledgerRefusal(ins: InsuranceRecord, event: IncidentEvent): string | null {
  const costs = ins.costs ?? [];
  if (event.type === 'insurance.costConsented' || event.type === 'insurance.costWithdrawn') {
    const entry = costs.find((c) => c.id === event.cost);
    if (!entry) return `there is no cost ${event.cost} in the ledger; it holds ${costs.map((c) => c.id).join(', ') || 'none yet'}`;
    if (entry.withdrawnReason !== undefined) return `cost ${event.cost} was withdrawn (${entry.withdrawnReason})`;
  }
  if (event.type === 'insurance.costRecorded' && event.batchId && costs.some((c) => c.fromBatchId === event.batchId && c.withdrawnReason === undefined)) {
    return `the mailing of batch ${event.batchId} is already in the ledger`;
  }
  if (event.type === 'insurance.proofOfLossFiled' && !ins.policy) return 'record the cyber policy first';
  return null;
}

/**
 * The policy as the claim math needs it, or why it cannot be summed yet: the retention and the
 * aggregate limit must be known (a guess would misstate what the practice bears).
 */
export function cyberPolicyOf(p: InsurancePolicy | undefined): { ok: true; policy: CyberPolicy } | { ok: false; missing: string[] } {
  if (!p) return { ok: false, missing: ['the policy (carrier, notice window)'] };
  const missing = [
    ...(p.retention === undefined ? ['retention'] : []),
    ...(p.aggregateLimit === undefined ? ['aggregateLimit'] : []),
    ...(p.periodStart === undefined || p.periodEnd === undefined ? ['periodStart and periodEnd'] : []),
  ];
  if (missing.length) return { ok: false, missing };
  return {
    ok: true,
    policy: {
      carrier: p.carrier, policyNumber: p.policyNumber, periodStart: p.periodStart!, periodEnd: p.periodEnd!,
      retention: p.retention!, aggregateLimit: p.aggregateLimit!, subLimits: p.subLimits ?? {}, excludedParts: p.excludedParts ?? [],
      consentRequired: p.consentRequired ?? [], panelVendors: p.panelVendors ?? [], noticeWindowDays: p.noticeWindowDays,
      proofOfLossMonthsAfterPeriod: p.proofOfLossMonthsAfterPeriod,
    },
  };
}
