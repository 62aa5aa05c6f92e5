import { facts, shippedPack } from '../../../test/factories/facts';
import { IncidentFacts } from './facts';
import { planNotification } from './plan';
import { NotificationPlan } from './plan.types';
import { validateRulePack } from './rule-pack';

const plan = (f: IncidentFacts): NotificationPlan => planNotification(f, shippedPack);
const residents = (byJurisdiction: Record<string, number>, extra: Partial<IncidentFacts> = {}) =>
  plan(facts({ ...extra, affected: { total: Object.values(byJurisdiction).reduce((a, b) => a + b, 0), byJurisdiction } }));
const stateObligations = (p: NotificationPlan) =>
  p.obligations.filter((o) => o.regime !== 'HIPAA').map((o) => ({ key: o.key, dueOn: o.dueOn, verify: o.verify }));

describe('the shipped rule pack', () => {
  it('validates and covers the ten states of the digest', () => {
    expect(validateRulePack(JSON.parse(JSON.stringify(shippedPack))).ok).toBe(true);
    expect(Object.keys(shippedPack.states).sort()).toEqual(['CA', 'CO', 'CT', 'FL', 'MD', 'ME', 'NY', 'TX', 'VT', 'WA']);
  });
});

describe('validateRulePack names the bad entry', () => {
  const broken = (mutate: (pack: any) => void) => {
    const pack = JSON.parse(JSON.stringify(shippedPack));
    mutate(pack);
    const result = validateRulePack(pack);
    return result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`);
  };

  it.each<[string, (p: any) => void, RegExp]>([
    ['a negative day count', (p) => { p.states.CA.regulators[0].clock.days = -15; }, /^states\.CA\.regulators\[0\]\.clock\.days: must be 0 or more/],
    ['an unknown anchor', (p) => { p.states.CO.individualNotice.clock.from = 'hhs_notice'; }, /^states\.CO\.individualNotice\.clock\.from: must be one of: discovery, determination/],
    ['an unknown state', (p) => { p.states.XX = p.states.CA; }, /^states\.XX: unknown jurisdiction/],
    ['verify without a reason', (p) => { p.states.TX.regulators[0].verify = true; }, /^states\.TX\.regulators\[0\]\.verifyReason: is required/],
    ['a duplicate regulator', (p) => { p.states.NY.regulators[1].id = 'state-agencies'; }, /^states\.NY\.regulators\[1\]\.id: duplicate/],
    ['a missing citation', (p) => { delete p.states.WA.regulators[0].citation; }, /^states\.WA\.regulators\[0\]\.citation: must be a non-empty string/],
    ['a misspelled key', (p) => { p.states.VT.regulators[0].treshold = {}; }, /^states\.VT\.regulators\[0\]\.treshold: unknown field/],
    ['no version', (p) => { delete p.version; }, /^version: /],
  ])('%s', (_label, mutate, expected) => {
    expect(broken(mutate)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]));
  });
});

describe('state obligations (discovered Monday 2026-03-02)', () => {
  it('California: 30-day resident notice (SB 446) and the attorney general 15 days after it, over 500', () => {
    expect(stateObligations(residents({ CA: 501 }))).toEqual([
      { key: 'US-CA/individuals', dueOn: '2026-04-01', verify: true },
      { key: 'US-CA/regulator/attorney-general', dueOn: '2026-04-16', verify: false },
    ]);
  });

  it('California before SB 446 took effect: no 30-day clock, and a note saying why', () => {
    const p = residents({ CA: 700 }, { discovery: { date: '2025-11-03' } });
    expect(stateObligations(p)).toEqual([]);
    expect(p.notes.filter((n) => n.regime === 'US-CA' && /took effect on 2026-01-01/.test(n.why))).toHaveLength(2);
  });

  it('Colorado: 30 days from the determination, and the attorney general at 500 or more', () => {
    const p = residents({ CO: 500 }, { determinedOn: '2026-03-12' });
    expect(stateObligations(p)).toEqual([
      { key: 'US-CO/individuals', dueOn: '2026-04-11', verify: true },
      { key: 'US-CO/regulator/attorney-general', dueOn: '2026-04-11', verify: false },
    ]);
  });

  it('Connecticut: HIPAA notice suffices for residents, the attorney general no later than residents', () => {
    const p = residents({ CT: 3 });
    expect(stateObligations(p)).toEqual([{ key: 'US-CT/regulator/attorney-general', dueOn: '2026-05-01', verify: false }]);
    expect(p.notes.some((n) => n.regime === 'US-CT' && /satisfies/.test(n.why))).toBe(true);
  });

  it('Florida: 30 days from determination (verify), the Department at 500 or more', () => {
    expect(stateObligations(residents({ FL: 499 }))).toEqual([{ key: 'US-FL/individuals', dueOn: '2026-04-01', verify: true }]);
    expect(stateObligations(residents({ FL: 500 })).map((o) => o.key)).toEqual(['US-FL/individuals', 'US-FL/regulator/department-of-legal-affairs']);
  });

  it('Maryland: 45 days, and the attorney general before the residents', () => {
    expect(stateObligations(residents({ MD: 2 }))).toEqual([
      { key: 'US-MD/individuals', dueOn: '2026-04-16', verify: true },
      { key: 'US-MD/regulator/attorney-general', dueOn: '2026-04-16', verify: false },
    ]);
  });

  it('Texas: the resident clock is not shorter than HIPAA\'s; the attorney general from 250', () => {
    expect(stateObligations(residents({ TX: 249 }))).toEqual([]);
    expect(stateObligations(residents({ TX: 250 }))).toEqual([{ key: 'US-TX/regulator/attorney-general', dueOn: '2026-04-01', verify: true }]);
  });

  it('Washington: HIPAA notice deemed compliance for residents; the attorney general over 500', () => {
    expect(stateObligations(residents({ WA: 501 }))).toEqual([{ key: 'US-WA/regulator/attorney-general', dueOn: '2026-04-01', verify: true }]);
  });

  it('a state with no entry in the pack is named, for counsel', () => {
    const p = residents({ OH: 20 });
    expect(stateObligations(p)).toEqual([]);
    expect(p.notes).toContainEqual(expect.objectContaining({ regime: 'US-OH', verify: true, why: expect.stringMatching(/no entry for Ohio/) }));
  });

  it('when HIPAA finds no breach, state law is flagged for counsel instead of silently dropped', () => {
    const p = residents({ CA: 900, TX: 300 }, { riskAssessment: { lowProbabilityOfCompromise: true } });
    expect(p.obligations).toEqual([]);
    expect(p.notes.filter((n) => n.verify && /does not decide/.test(n.why)).map((n) => n.regime)).toEqual(['US-CA', 'US-TX']);
  });

  it('a law-enforcement hold moves the state clocks too, and a clock counted from the held notice follows it', () => {
    const p = residents({ CA: 600 }, { lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-03', delayUntil: '2026-06-15' } });
    const ca = p.obligations.filter((o) => o.regime === 'US-CA');
    expect(ca.map((o) => [o.key, o.dueOn, o.dueBeforeHold])).toEqual([
      ['US-CA/individuals', '2026-06-15', '2026-04-01'],
      ['US-CA/regulator/attorney-general', '2026-06-30', undefined],
    ]);
  });
});
