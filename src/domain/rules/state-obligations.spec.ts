import { facts, shippedPack } from '../../../test/factories/facts';
import { IncidentFacts } from './facts';
import { planNotification } from './plan';
import { NotificationPlan } from './plan.types';
import { JURISDICTIONS } from './facts';
import { hasStatute, RulePack, validateRulePack } from './rule-pack';

const plan = (f: IncidentFacts): NotificationPlan => planNotification(f, shippedPack);
const residents = (byJurisdiction: Record<string, number>, extra: Partial<IncidentFacts> = {}) =>
  plan(facts({ ...extra, affected: { total: Object.values(byJurisdiction).reduce((a, b) => a + b, 0), byJurisdiction } }));
const stateObligations = (p: NotificationPlan) =>
  p.obligations.filter((o) => o.regime !== 'HIPAA').map((o) => ({ key: o.key, dueOn: o.dueOn, verify: o.verify }));

describe('the shipped rule pack', () => {
  it('validates and covers every jurisdiction: 50 states, DC, PR, GU, VI with a statute, AS and MP without', () => {
    expect(validateRulePack(JSON.parse(JSON.stringify(shippedPack))).ok).toBe(true);
    expect(Object.keys(shippedPack.states).sort()).toEqual([...JURISDICTIONS].sort());
    const without = Object.entries(shippedPack.states).filter(([, r]) => r && !hasStatute(r)).map(([c]) => c);
    expect(without.sort()).toEqual(['AS', 'MP']);
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
    ['medium confidence without saying what to confirm', (p) => { delete p.states.NJ.verifyReason; }, /^states\.NJ\.verifyReason: is required when confidence is medium/],
    ['an unknown data element', (p) => { p.states.MA.personalInformation.withName.push('shoe_size'); }, /^states\.MA\.personalInformation\.withName\[3\]: must be one of/],
    ['a definition that names nothing', (p) => { p.states.MA.personalInformation.withName = []; }, /^states\.MA\.personalInformation: names no data element/],
    ['an offer for data the statute does not cover', (p) => { p.states.MA.creditMonitoring.when = ['medical']; }, /^states\.MA\.creditMonitoring\.when: "medical" is not in the statute's personal information/],
    ['"before" a notice other than the residents\'', (p) => { p.states.NJ.regulators[0].clock.from = 'discovery'; }, /^states\.NJ\.regulators\[0\]\.clock\.relation: "before" needs/],
    ['an earlier rule without the date it ended', (p) => { delete p.states.CA.regulators[0].clock.effectiveFrom; }, /^states\.CA\.regulators\[0\]\.clock\.before: needs effectiveFrom/],
    ['a deemer keeping a clock it has not', (p) => { p.states.MA.individualNotice.deemerKeepsClock = true; }, /^states\.MA\.individualNotice\.deemerKeepsClock: needs a clock/],
    ['a bad holiday', (p) => { p.states.VT.holidays[0].month = 13; }, /^states\.VT\.holidays\[0\]\.month: must be 1 to 12/],
    ['a clock from the residents\' notice that also ends by it', (p) => { p.states.CT.regulators[0].clock.notLaterThanIndividualNotice = true; }, /^states\.CT\.regulators\[0\]\.clock\.notLaterThanIndividualNotice: contradicts/],
    ['an offer without a notice to carry it', (p) => { p.states.MA.individualNotice = null; }, /^states\.MA\.creditMonitoring: needs an individualNotice/],
    ['a no-statute entry without a why', (p) => { delete p.states.AS.why; }, /^states\.AS\.why: must be a non-empty string/],
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

describe('state obligations (discovered Monday 2026-03-02; names and medical information unless said)', () => {
  it('California: 30-day resident notice (SB 446) and the attorney general 15 days after it, over 500', () => {
    expect(stateObligations(residents({ CA: 501 }))).toEqual([
      { key: 'US-CA/individuals', dueOn: '2026-04-01', verify: true }, // 03-02 + 30
      { key: 'US-CA/regulator/attorney-general', dueOn: '2026-04-16', verify: false }, // 04-01 + 15
    ]);
  });

  it('California before SB 446 took effect: no 30-day clock, but the attorney general sample copy still (correction)', () => {
    const p = residents({ CA: 700 }, { discovery: { date: '2025-11-03' } });
    // The sample copy over 500 predates SB 446, which only added the 15 days: due with the notice to residents (11-03 + 60).
    expect(stateObligations(p)).toEqual([{ key: 'US-CA/regulator/attorney-general', dueOn: '2026-01-02', verify: false }]);
    expect(p.notes.filter((n) => n.regime === 'US-CA' && /took effect on 2026-01-01/.test(n.why))).toHaveLength(1);
  });

  it('Colorado: 30 days from the determination, and the attorney general at 500 or more (medium confidence: verify)', () => {
    const p = residents({ CO: 500 }, { determinedOn: '2026-03-12' });
    expect(stateObligations(p)).toEqual([
      { key: 'US-CO/individuals', dueOn: '2026-04-11', verify: true }, // 03-12 + 30
      { key: 'US-CO/regulator/attorney-general', dueOn: '2026-04-11', verify: true },
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

  it('Maryland: a HIPAA entity is deemed compliant (HB 974); a vendor owes the owner notice within 10 days (HB 962)', () => {
    const p = residents({ MD: 2 });
    expect(stateObligations(p)).toEqual([]);
    expect(p.notes.some((n) => n.regime === 'US-MD' && /satisfies/.test(n.why))).toBe(true);
    expect(stateObligations(residents({ MD: 2 }, { entity: { type: 'business_associate' } }))).toEqual([
      { key: 'US-MD/covered_entity', dueOn: '2026-03-12', verify: true }, // 03-02 + 10
    ]);
  });

  it('Texas: the resident clock is not shorter than HIPAA\'s; the attorney general from 250', () => {
    expect(stateObligations(residents({ TX: 249 }))).toEqual([]);
    expect(stateObligations(residents({ TX: 250 }))).toEqual([{ key: 'US-TX/regulator/attorney-general', dueOn: '2026-04-01', verify: true }]);
  });

  it('Washington: HIPAA notice deemed compliance for residents; the attorney general over 500 on HITECH\'s timing (correction)', () => {
    expect(stateObligations(residents({ WA: 501 }))).toEqual([{ key: 'US-WA/regulator/attorney-general', dueOn: '2026-05-01', verify: true }]);
  });

  it('a jurisdiction without a known statute is named, for counsel', () => {
    const p = residents({ AS: 20 });
    expect(stateObligations(p)).toEqual([]);
    expect(p.notes).toContainEqual(expect.objectContaining({ regime: 'US-AS', verify: true, why: expect.stringMatching(/No breach notification statute is known for American Samoa/) }));
    expect(p.jurisdictions).toContainEqual(expect.objectContaining({ jurisdiction: 'AS', status: 'no_statute' }));
  });

  it('a pack without an entry for a state says so, for counsel', () => {
    const pack: RulePack = { ...shippedPack, states: { ...shippedPack.states, OH: undefined } };
    const p = planNotification(facts({ affected: { total: 20, byJurisdiction: { OH: 20 } } }), pack);
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
      ['US-CA/regulator/attorney-general', '2026-06-30', undefined], // 06-15 + 15
    ]);
  });
});
