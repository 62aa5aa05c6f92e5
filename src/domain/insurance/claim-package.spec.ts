import { shippedPack, facts } from '../../../test/factories/facts';
import { startIncident } from '../lifecycle/incident-snapshot';
import { createIncidentMachine } from '../lifecycle/incident.machine';
import { summariseClaim } from './claim-ledger';
import { claimPackage, documentationChecklist } from './claim-package';
import { CostEntry, CyberPolicy } from './coverage';

const machine = createIncidentMachine(shippedPack);
const context = startIncident(machine, {
  reference: 'BF-2026-0007', summary: 'Ransomware on the practice server',
  facts: facts({ dataElements: ['name', 'medical'] }),
}).context;

const policy: CyberPolicy = {
  carrier: 'Example Mutual', policyNumber: 'CY-9', periodStart: '2026-01-01', periodEnd: '2026-12-31',
  retention: 5_000_00, aggregateLimit: 250_000_00, subLimits: { public_relations: 10_000_00 }, excludedParts: [],
  consentRequired: [], panelVendors: ['Panel Forensics LLC'], noticeWindowDays: 3, proofOfLossMonthsAfterPeriod: 6,
};
const entries: CostEntry[] = [
  { id: 'a', on: '2026-03-04', vendor: 'Panel Forensics LLC', amount: 30_000_00, part: 'forensics', invoiceAttachmentId: 'inv-1' },
  { id: 'b', on: '2026-03-05', vendor: 'Press Co', amount: 12_000_00, part: 'public_relations' },
];

describe('claim package', () => {
  const summary = summariseClaim(policy, entries);
  const input = { context, policy, entries, summary, attachmentKinds: ['forensic_report' as const], auditEvents: 12 };

  it('holds the checklist against the record: what is there, what to attach, what the practice keeps', () => {
    const list = documentationChecklist(input);
    const status = Object.fromEntries(list.map((d) => [d.item, d.status]));
    expect(status).toMatchObject({
      'Incident timeline with timestamps': 'present',
      'Forensic report': 'present',
      'Police or IC3 report': 'missing',
      'Affected individuals and data by state': 'present',
      'Copies of the notices sent': 'missing',
      'Invoices itemised by coverage part': 'missing',
      'Ransom note and threat-actor communications': 'outside breachflow',
    });
    expect(list.find((d) => d.item === 'Invoices itemised by coverage part')!.detail).toBe('1 of 2 cost entries have no invoice attached');
  });

  it('lays out the policy, costs, totals with warnings and the proof-of-loss date', () => {
    const story = claimPackage(input);
    expect(story.title).toBe('Incident BF-2026-0007: claim package for Example Mutual');
    const rows = Object.fromEntries(story.sections.flatMap((s) => s.rows));
    expect(rows['Proof of loss due']).toBe('2027-06-30');
    // 30,000 + min(12,000, 10,000) = 40,000 covered; - 5,000 retention = 35,000.
    expect(rows.Claimable).toBe('$35,000.00');
    expect(rows['Borne by the practice']).toBe('$7,000.00');
    const totals = story.sections.find((s) => s.heading === 'Totals')!;
    expect(totals.paragraphs).toContain('The Public relations sub-limit of $10,000.00 is exhausted: $2,000.00 above it is the practice\'s.');
    expect(rows['2026-03-05 Press Co (Public relations)']).toBe('$12,000.00; invoice missing');
  });
});
