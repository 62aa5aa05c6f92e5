import { facts, shippedPack } from '../../../test/factories/facts';
import { startIncident, step } from './incident-snapshot';
import { createIncidentMachine } from './incident.machine';
import { CONTAINMENT_ITEMS, IncidentEvent } from './incident.types';

/** Clocks tied to another notice follow its actual date once it is recorded as sent. */
const machine = createIncidentMachine(shippedPack);
const notifying: IncidentEvent[] = [
  { type: 'incident.accepted' },
  ...CONTAINMENT_ITEMS.map((item): IncidentEvent => ({ type: 'containment.itemResolved', item, status: 'done' })),
  { type: 'containment.completed' },
  { type: 'safeHarbor.assessed', encryption: { applied: false } },
  { type: 'assessment.skipped', reason: 'Notify' },
];
const run = (events: IncidentEvent[]) => {
  let s = startIncident(machine, {
    reference: 'BF-2026-0040', summary: 'Server breach',
    facts: facts({ dataElements: ['name', 'ssn', 'medical'], affected: { total: 1600, byJurisdiction: { CA: 600, NY: 1000 } } }),
  });
  for (const e of [...notifying, ...events]) s = step(machine, s, e);
  return s;
};
const due = (s: ReturnType<typeof run>, key: string) => s.context.plan.obligations.find((o) => o.key === key)?.dueOn;

describe('tied clocks follow the recorded date', () => {
  it('planned: from the planned notices (California 04-01 + 15; HHS 05-01 + 5 business days)', () => {
    const s = run([]);
    expect(due(s, 'US-CA/regulator/attorney-general')).toBe('2026-04-16');
    expect(due(s, 'US-NY/regulator/hhs-copy')).toBe('2026-05-08');
  });

  it('California\'s residents told on 03-20: its attorney general copy is due 03-20 + 15 = 04-04', () => {
    const s = run([{ type: 'notice.sent', key: 'US-CA/individuals', sentOn: '2026-03-20', method: 'first-class mail', count: 600 }]);
    expect(due(s, 'US-CA/regulator/attorney-general')).toBe('2026-04-04');
    expect(s.context.tracking['US-CA/regulator/attorney-general'].status).toBe('open');
    expect(s.context.plan.obligations.find((o) => o.key === 'US-CA/regulator/attorney-general')?.why).toMatch(/sent 2026-03-20/);
  });

  it('HHS told on Thursday 04-02: New York\'s copy is due 5 business days later, Thursday 04-09', () => {
    const s = run([{ type: 'notice.sent', key: 'HIPAA/hhs', sentOn: '2026-04-02', method: 'OCR portal' }]);
    expect(due(s, 'US-NY/regulator/hhs-copy')).toBe('2026-04-09');
  });
});
