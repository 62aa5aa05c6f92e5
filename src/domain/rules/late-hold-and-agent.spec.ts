import { facts, shippedPack } from '../../../test/factories/facts';
import { IncidentFacts } from './facts';
import { planNotification } from './plan';
import { NotificationPlan, Obligation } from './plan.types';

/** Contract "Additions of 2026-12": a hold cannot make a late notice timely; a business associate's discovery. */

const plan = (f: IncidentFacts): NotificationPlan => planNotification(f, shippedPack);
const find = (p: NotificationPlan, key: string): Obligation => p.obligations.find((o) => o.key === key)!;

describe('a law-enforcement statement received after notices were due', () => {
  // Discovered 2026-01-05; + 60 days = 2026-03-06 (45 CFR 164.404(b)): 26 days to Jan 31, 28 in Feb, 6 in March.
  const late = (receivedOn: string) => plan(facts({
    discovery: { date: '2026-01-05' },
    affected: { total: 700, byJurisdiction: { CA: 700 } },
    lawEnforcementDelay: { statement: 'written', receivedOn, delayUntil: '2026-05-01', official: 'SA J. Reyes, FBI' },
  }));

  it('keeps every date that was already past on 2026-03-20, and says notice still waits until 2026-05-01', () => {
    const p = late('2026-03-20');
    for (const key of ['HIPAA/individuals', 'HIPAA/media/CA', 'HIPAA/hhs']) {
      const o = find(p, key);
      expect(o.dueOn).toBe('2026-03-06'); // 2026-01-05 + 60 days, not moved (164.412 cannot cure lateness)
      expect(o.heldUntil).toBe('2026-05-01'); // the written statement's period (164.412(a))
      expect(o.dueBeforeHold).toBeUndefined();
      expect(o.why).toContain('this notice is late, and the delay does not make it timely');
      expect(o.why).toContain('wait until the hold ends on 2026-05-01');
      expect(o.citation).toContain('164.412(a)');
      expect(o.verify).toBe(true);
    }
  });

  it('moves an obligation due on the very day the statement came (not yet past due)', () => {
    const o = find(late('2026-03-06'), 'HIPAA/individuals');
    expect(o.dueOn).toBe('2026-05-01'); // the later of 2026-03-06 and the end of the hold, 2026-05-01 (164.412(a))
    expect(o.dueBeforeHold).toBe('2026-03-06');
    expect(o.heldUntil).toBeUndefined();
  });

  it('an annual-log HHS report not yet due is not touched by a hold that ends before it', () => {
    const p = plan(facts({
      discovery: { date: '2026-01-05' },
      lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-20', delayUntil: '2026-05-01' },
    }));
    // 100 affected: 2026-12-31 + 60 days = 2027-03-01 (164.408(c)), after the hold: unchanged.
    expect(find(p, 'HIPAA/hhs')).toMatchObject({ track: 'annual_log', dueOn: '2027-03-01' });
    expect(find(p, 'HIPAA/hhs').heldUntil).toBeUndefined();
    expect(find(p, 'HIPAA/individuals')).toMatchObject({ dueOn: '2026-03-06', heldUntil: '2026-05-01' });
  });
});

describe('a covered entity told late by its business associate (164.404(a)(2), federal common law of agency)', () => {
  const told = (agent: true | false | 'unknown') => plan(facts({
    discovery: { date: '2026-03-02' },
    businessAssociate: { discoveredOn: '2026-02-20', agent },
    affected: { total: 700, byJurisdiction: { CA: 700 } },
  }));

  it('an agent: every clock runs from the business associate\'s discovery', () => {
    const p = told(true);
    expect(p.discoveryDate).toBe('2026-02-20');
    // 2026-02-20 + 60 days = 2026-04-21 (164.404(b)): 8 days to Feb 28, 31 in March, 21 in April.
    expect(find(p, 'HIPAA/individuals').dueOn).toBe('2026-04-21');
    expect(find(p, 'HIPAA/media/CA').dueOn).toBe('2026-04-21'); // 164.406(b)
    expect(find(p, 'HIPAA/hhs').dueOn).toBe('2026-04-21'); // 164.408(b)
    expect(p.discoveryDateReason).toContain("the covered entity's agent, discovered the breach on 2026-02-20");
    expect(p.discoveryDateReason).toContain('164.404(a)(2)');
    expect(p.discoveryDateReason).toContain('federal common law of agency');
  });

  it('agency unknown: the same cautious dates, and the plan says so with verify', () => {
    const p = told('unknown');
    expect(p.discoveryDate).toBe('2026-02-20');
    expect(find(p, 'HIPAA/individuals').dueOn).toBe('2026-04-21'); // 2026-02-20 + 60 days
    expect(p.discoveryDateReason).toMatch(/not known, so the cautious reading is applied/);
    expect(p.notes.some((n) => n.verify && n.citation.includes('agency'))).toBe(true);
    expect(p.verify).toBe(true);
  });

  it('an independent contractor: the covered entity\'s own discovery stands', () => {
    const p = told(false);
    expect(p.discoveryDate).toBe('2026-03-02');
    expect(find(p, 'HIPAA/individuals').dueOn).toBe('2026-05-01'); // 2026-03-02 + 60 days = 2026-05-01
    expect(p.discoveryDateReason).toMatch(/independent contractor, not an agent/);
  });

  it('the state overlay follows the effective discovery date', () => {
    const withAgent = told(true);
    const directly = plan(facts({ discovery: { date: '2026-02-20' }, affected: { total: 700, byJurisdiction: { CA: 700 } } }));
    const state = (p: NotificationPlan) => p.obligations.filter((o) => o.regime !== 'HIPAA').map((o) => [o.key, o.dueOn]);
    expect(state(withAgent)).toEqual(state(directly));
  });

  it('a business associate itself is not moved by the field (validation refuses it; the plan ignores it)', () => {
    const p = plan(facts({ entity: { type: 'business_associate' }, businessAssociate: { discoveredOn: '2026-02-20', agent: true } }));
    expect(p.discoveryDate).toBe('2026-03-02');
  });
});
