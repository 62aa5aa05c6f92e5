import { mailingCost, proofOfLossDue, summariseClaim } from './claim-ledger';
import { CostEntry, CyberPolicy, formatDollars } from './coverage';

const policy: CyberPolicy = {
  carrier: 'Example Mutual',
  policyNumber: 'CY-1',
  periodStart: '2026-01-01',
  periodEnd: '2026-12-31',
  retention: 10_000_00,
  aggregateLimit: 1_000_000_00,
  subLimits: { public_relations: 25_000_00, notification: 100_000_00 },
  excludedParts: ['third_party_liability'],
  consentRequired: ['forensics'],
  panelVendors: ['Panel Forensics LLC', 'Breach Counsel LLP'],
  noticeWindowDays: 3,
  proofOfLossMonthsAfterPeriod: 6,
};

function entry(id: string, part: CostEntry['part'], amount: number, extra: Partial<CostEntry> = {}): CostEntry {
  return { id, on: '2026-03-10', vendor: 'Panel Forensics LLC', amount, part, invoiceAttachmentId: `att-${id}`, ...extra };
}

describe('summariseClaim', () => {
  it('applies sub-limits per part, then the retention once, then the aggregate limit', () => {
    const s = summariseClaim(policy, [
      entry('f', 'forensics', 40_000_00, { consentOn: '2026-03-09' }),
      entry('c', 'breach_counsel', 15_000_00, { vendor: 'Breach Counsel LLP' }),
      entry('pr', 'public_relations', 30_000_00, { vendor: 'Panel Forensics LLC' }),
    ]);
    // PR: 30,000 booked against a 25,000 sub-limit -> 25,000 covered, 5,000 over.
    const pr = s.parts.find((p) => p.part === 'public_relations');
    expect(pr).toMatchObject({ incurred: 30_000_00, covered: 25_000_00, overSubLimit: 5_000_00, subLimitRemaining: 0 });
    // covered = 40,000 + 15,000 + 25,000 = 80,000; minus the 10,000 retention = 70,000 claimable.
    expect(s.totalCovered).toBe(80_000_00);
    expect(s.retentionApplied).toBe(10_000_00);
    expect(s.claimable).toBe(70_000_00);
    // incurred 85,000 - claimable 70,000 = 15,000 borne (retention 10,000 + PR over its limit 5,000).
    expect(s.borneByPractice).toBe(15_000_00);
    expect(s.warnings.map((w) => w.kind)).toEqual(['sub_limit_exhausted']);
    expect(s.warnings[0].message).toBe('The Public relations sub-limit of $25,000.00 is exhausted: $5,000.00 above it is the practice\'s.');
  });

  it('keeps a cost that needs consent and has none out of the claimable total, and says so', () => {
    const s = summariseClaim(policy, [
      entry('x', 'extortion', 50_000_00, { vendor: 'Negotiator Inc' }),
      entry('f', 'forensics', 20_000_00),
    ]);
    // Extortion always needs consent; forensics does under this policy: neither has it.
    expect(s.atRisk).toBe(70_000_00);
    expect(s.claimable).toBe(0);
    expect(s.borneByPractice).toBe(70_000_00);
    const kinds = s.warnings.filter((w) => w.kind === 'consent_missing').map((w) => w.entryId);
    expect(kinds).toEqual(['x', 'f']);
  });

  it('flags consent given after the cost was incurred', () => {
    const s = summariseClaim(policy, [entry('f', 'forensics', 5_000_00, { consentOn: '2026-03-11' })]);
    expect(s.warnings[0]).toMatchObject({ kind: 'consent_after_cost', entryId: 'f' });
    expect(s.claimable).toBe(0);
  });

  it('bears an excluded part, notes missing invoices and non-panel vendors', () => {
    const s = summariseClaim(policy, [
      entry('l', 'third_party_liability', 9_000_00, { vendor: 'Defense Firm' }),
      entry('n', 'call_centre', 3_000_00, { vendor: 'Call Co', invoiceAttachmentId: undefined }),
    ]);
    expect(s.warnings.map((w) => `${w.kind}:${w.entryId}`)).toEqual([
      'not_covered:l', 'invoice_missing:n', 'non_panel_vendor:n',
    ]);
    // call centre 3,000 covered, below the 10,000 retention: nothing claimable yet.
    expect(s.claimable).toBe(0);
    expect(s.retentionApplied).toBe(3_000_00);
    expect(s.atRisk).toBe(0);
  });

  it('caps at the aggregate limit', () => {
    const small = { ...policy, aggregateLimit: 50_000_00 };
    const s = summariseClaim(small, [entry('r', 'data_restoration', 100_000_00)]);
    // 100,000 covered - 10,000 retention = 90,000, capped at 50,000; 40,000 over.
    expect(s.claimable).toBe(50_000_00);
    expect(s.overAggregate).toBe(40_000_00);
    expect(s.warnings.some((w) => w.kind === 'aggregate_exhausted')).toBe(true);
  });
});

describe('mailingCost and proofOfLossDue', () => {
  it('prices a mailing from its letters and pages', () => {
    // 1,000 letters x $0.73 postage + 1,200 pages x $0.10 = $730 + $120 = $850.
    expect(mailingCost(1000, 1200, { postagePerLetter: 73, printPerPage: 10 })).toBe(850_00);
  });

  it('counts months after the period end, clamped to the month', () => {
    // 2026-12-31 + 6 months = 2027-06-30 (June has 30 days).
    expect(proofOfLossDue(policy)).toBe('2027-06-30');
    // 2027-08-31 + 6 months = 2028-02-29 (a leap year).
    expect(proofOfLossDue({ ...policy, periodEnd: '2027-08-31' })).toBe('2028-02-29');
    expect(proofOfLossDue({ ...policy, proofOfLossMonthsAfterPeriod: undefined })).toBeNull();
  });

  it('formats cents as dollars', () => {
    expect(formatDollars(123456)).toBe('$1,234.56');
    expect(formatDollars(5)).toBe('$0.05');
  });
});
