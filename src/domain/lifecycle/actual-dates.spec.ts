import { facts, shippedPack } from '../../../test/factories/facts';
import { planNotification } from '../rules/plan';
import { followActualNotices } from './actual-dates';
import { ObligationTracking } from './incident.types';

/** Tied deadlines follow the notice they count from, once it is recorded (issue 10). */

const plan = (byJurisdiction: Record<string, number>) =>
  planNotification(facts({ affected: { total: 800, byJurisdiction } }), shippedPack);
const done = (sentOn: string): ObligationTracking => ({ status: 'done', proof: { sentOn, method: 'first-class mail' } });

describe('obligations tied to another notice', () => {
  it('New York: the agencies are due the day residents were notified, not on the planned deadline', () => {
    const p = plan({ NY: 800 });
    const key = 'US-NY/regulator/state-agencies';
    // Planned from the residents' deadline: 2026-03-02 + 60 days = 2026-05-01 (164.404(b)), 0 days after it.
    expect(p.obligations.find((o) => o.key === key)?.dueOn).toBe('2026-05-01');
    const followed = followActualNotices(p, { 'HIPAA/individuals': done('2026-03-12') }, shippedPack);
    expect(followed.obligations.find((o) => o.key === key)).toMatchObject({ dueOn: '2026-03-12', plannedDueOn: '2026-05-01' });
  });

  it('New York: the copy of the HHS notice is due 5 business days after the actual filing', () => {
    const p = plan({ NY: 800 });
    const followed = followActualNotices(p, { 'HIPAA/hhs': done('2026-03-13') }, shippedPack);
    // Friday 2026-03-13 + 5 business days = Friday 2026-03-20 (N.Y. Gen. Bus. Law 899-aa(9)).
    expect(followed.obligations.find((o) => o.key === 'US-NY/regulator/hhs-copy')?.dueOn).toBe('2026-03-20');
  });

  it('Vermont: the preliminary notice is due by the notice to residents when that came sooner', () => {
    const p = plan({ VT: 800 });
    const key = 'US-VT/regulator/attorney-general-preliminary';
    // 2026-03-02 + 14 business days = 2026-03-20 (no federal holiday in between).
    expect(p.obligations.find((o) => o.key === key)?.dueOn).toBe('2026-03-20');
    const residents = p.obligations.some((o) => o.key === 'US-VT/individuals') ? 'US-VT/individuals' : 'HIPAA/individuals';
    const followed = followActualNotices(p, { [residents]: done('2026-03-10') }, shippedPack);
    expect(followed.obligations.find((o) => o.key === key)?.dueOn).toBe('2026-03-10');
    // Notified after the 14 business days: the earlier date stands.
    const late = followActualNotices(p, { [residents]: done('2026-03-25') }, shippedPack);
    expect(late.obligations.find((o) => o.key === key)?.dueOn).toBe('2026-03-20');
  });

  it('changes nothing before the notice is recorded, and nothing untied', () => {
    const p = plan({ NY: 800, CA: 100 });
    expect(followActualNotices(p, {}, shippedPack)).toBe(p);
    const followed = followActualNotices(p, { 'HIPAA/individuals': done('2026-03-12') }, shippedPack);
    expect(followed.obligations.filter((o) => !o.key.startsWith('US-NY/regulator/'))).toEqual(p.obligations.filter((o) => !o.key.startsWith('US-NY/regulator/')));
  });
});
