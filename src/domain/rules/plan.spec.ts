import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { facts, shippedPack } from '../../../test/factories/facts';
import { IncidentFacts } from './facts';
import { planFromInput, planNotification } from './plan';
import { NotificationPlan, Obligation } from './plan.types';

const plan = (f: IncidentFacts): NotificationPlan => planNotification(f, shippedPack);
const hipaa = (p: NotificationPlan) => p.obligations.filter((o) => o.regime === 'HIPAA');
const find = (p: NotificationPlan, key: string): Obligation | undefined => p.obligations.find((o) => o.key === key);

/** The contract's core fields only, as the examples state them. */
function core(o: Obligation) {
  const { regime, audience, dueOn, form, track, jurisdiction } = o;
  return { regime, audience, ...(jurisdiction ? { jurisdiction } : {}), ...(form ? { form } : {}), ...(track ? { track } : {}), dueOn };
}

describe('contract examples', () => {
  const dir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'contract-examples');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    it(`${file} gives the HIPAA plan it states`, () => {
      const example = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      const result = planFromInput(example.facts, shippedPack);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      const p = result.value;
      expect({
        notificationRequired: p.notificationRequired,
        determination: p.determination,
        discoveryDate: p.discoveryDate,
        obligations: hipaa(p).map(core),
      }).toEqual(example.plan);
    });
  }
});

describe('the contract rule table (HIPAA)', () => {
  it('safe harbor: encryption applied with the key not compromised secures the PHI', () => {
    const p = plan(facts({ safeguards: { encryption: { applied: true, keyCompromised: false, standard: 'NIST SP 800-111' } } }));
    expect(p).toMatchObject({ determination: 'safe_harbor', notificationRequired: false, obligations: [] });
    expect(p.determinationReason.citation).toContain('164.402');
    expect(p.determinationReason.verify).toBe(false);
  });

  it('safe harbor: destruction by a named method secures the PHI', () => {
    // "cross-cut shredding" (free text) no longer counts; the contract's closed list says "shredded".
    const p = plan(facts({ safeguards: { destruction: { applied: true, method: 'shredded' } } }));
    expect(p).toMatchObject({ determination: 'safe_harbor', obligations: [] });
  });

  it('safe harbor comes before an exception and an assessment', () => {
    const p = plan(facts({
      safeguards: { encryption: { applied: true, keyCompromised: false, standard: 'NIST SP 800-111' } },
      exception: 'unable_to_retain',
      riskAssessment: { lowProbabilityOfCompromise: false },
    }));
    expect(p.determination).toBe('safe_harbor');
  });

  it.each(['unintentional_workforce', 'inadvertent_internal', 'unable_to_retain'] as const)('exception %s: no obligations, with its paragraph cited', (exception) => {
    const p = plan(facts({ exception, riskAssessment: { lowProbabilityOfCompromise: false } }));
    expect(p).toMatchObject({ determination: 'exception', notificationRequired: false, obligations: [] });
    expect(p.determinationReason.citation).toMatch(/164\.402\(1\)\((i|ii|iii)\)/);
  });

  it('a low probability of compromise: no obligations', () => {
    const p = plan(facts({ riskAssessment: { lowProbabilityOfCompromise: true } }));
    expect(p).toMatchObject({ determination: 'low_probability', notificationRequired: false, obligations: [] });
    expect(p.determinationReason.citation).toBe('45 CFR 164.402(2)');
  });

  it.each([null, { lowProbabilityOfCompromise: false }])('assessment %p: a breach', (riskAssessment) => {
    expect(plan(facts({ riskAssessment })).determination).toBe('breach');
  });

  it('a business associate owes the covered entity notice at discovery + 60, and nothing else', () => {
    const p = plan(facts({ entity: { type: 'business_associate' }, affected: { total: 9000, byJurisdiction: { CA: 9000 }, insufficientContact: 40 } }));
    expect(p.obligations.map(core)).toEqual([{ regime: 'HIPAA', audience: 'covered_entity', dueOn: '2026-05-01' }]);
    expect(p.obligations[0].citation).toContain('164.410');
  });

  it('individuals: discovery + 60 calendar days', () => {
    const o = find(plan(facts()), 'HIPAA/individuals')!;
    expect(o.dueOn).toBe('2026-05-01');
    expect(o.citation).toContain('164.404(b)');
    expect(o.why).toContain('60 calendar days');
  });

  it.each([
    [0, undefined],
    [1, 'alternative'],
    [9, 'alternative'],
    [10, 'web_or_media_with_toll_free'],
    [99, 'web_or_media_with_toll_free'],
  ])('substitute notice for %i with insufficient contact: %s', (insufficientContact, form) => {
    const o = find(plan(facts({ affected: { insufficientContact } })), 'HIPAA/substitute_notice');
    expect(o?.form).toBe(form);
    if (o) expect(o.dueOn).toBe('2026-05-01');
  });

  it('media: one per jurisdiction with more than 500 residents; exactly 500 is not more than 500', () => {
    const p = plan(facts({ affected: { total: 2000, byJurisdiction: { CA: 501, NV: 500, AZ: 999 } } }));
    expect(p.obligations.filter((o) => o.audience === 'media').map((o) => [o.jurisdiction, o.dueOn])).toEqual([
      ['AZ', '2026-05-01'],
      ['CA', '2026-05-01'],
    ]);
    expect(find(p, 'HIPAA/media/CA')!.why).toContain('More than 500 residents of California');
  });

  it('HHS: 500 or more in total is reported with the individual notice', () => {
    const o = find(plan(facts({ affected: { total: 500, byJurisdiction: { MN: 500 } } })), 'HIPAA/hhs')!;
    expect([o.track, o.dueOn]).toEqual(['with_individual_notice', '2026-05-01']);
  });

  it('HHS: fewer than 500 goes on the annual log, due 60 days after the year of discovery ends', () => {
    const o = find(plan(facts({ affected: { total: 499, byJurisdiction: { MN: 499 } } })), 'HIPAA/hhs')!;
    expect([o.track, o.dueOn]).toEqual(['annual_log', '2027-03-01']);
    expect(o.citation).toBe('45 CFR 164.408(c)');
  });

  it('a written law-enforcement statement delays every HIPAA obligation to its date', () => {
    const p = plan(facts({
      affected: { total: 800, byJurisdiction: { MN: 800 }, insufficientContact: 12 },
      lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-01', delayUntil: '2026-06-01' },
    }));
    expect(hipaa(p).map((o) => [o.audience, o.dueOn, o.dueBeforeHold])).toEqual([
      ['individuals', '2026-06-01', '2026-05-01'],
      ['substitute_notice', '2026-06-01', '2026-05-01'],
      ['media', '2026-06-01', '2026-05-01'],
      ['hhs', '2026-06-01', '2026-05-01'],
    ]);
    expect(p.lawEnforcementHold).toMatchObject({ endsOn: '2026-06-01', citation: '45 CFR 164.412(a)' });
    expect(hipaa(p).every((o) => o.citation.includes('164.412'))).toBe(true);
  });

  it('an oral statement delays to the earlier of its date and receipt + 30 days', () => {
    const long = plan(facts({ lawEnforcementDelay: { statement: 'oral', receivedOn: '2026-04-20', delayUntil: '2026-08-01', official: 'Det. R. Ortiz, Metro PD' } }));
    expect(long.lawEnforcementHold?.endsOn).toBe('2026-05-20');
    expect(find(long, 'HIPAA/individuals')!.dueOn).toBe('2026-05-20');
    const short = plan(facts({ lawEnforcementDelay: { statement: 'oral', receivedOn: '2026-04-20', delayUntil: '2026-05-05', official: 'Det. R. Ortiz' } }));
    expect(find(short, 'HIPAA/individuals')!.dueOn).toBe('2026-05-05');
  });

  it('a hold that ends before the deadline moves nothing', () => {
    const p = plan(facts({ lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-05', delayUntil: '2026-03-20' } }));
    expect(find(p, 'HIPAA/individuals')).toMatchObject({ dueOn: '2026-05-01' });
    expect(find(p, 'HIPAA/individuals')!.dueBeforeHold).toBeUndefined();
  });

  it('the annual log also waits for a hold that ends after it', () => {
    const p = plan(facts({
      discovery: { date: '2026-12-20' },
      lawEnforcementDelay: { statement: 'written', receivedOn: '2026-12-21', delayUntil: '2027-04-15' },
    }));
    expect(find(p, 'HIPAA/hhs')).toMatchObject({ track: 'annual_log', dueOn: '2027-04-15', dueBeforeHold: '2027-03-01' });
  });
});

describe('every obligation explains itself', () => {
  it('carries a why, a citation and the rule pack version', () => {
    const p = plan(facts({ affected: { total: 3000, byJurisdiction: { CA: 1200, NY: 40, TX: 300, VT: 3, MD: 5, CT: 2, CO: 600, FL: 600, WA: 200, ME: 1 }, insufficientContact: 30 } }));
    expect(p.rulePackVersion).toBe(shippedPack.version);
    for (const o of p.obligations) {
      expect(o.why.length).toBeGreaterThan(40);
      expect(o.citation).toMatch(/CFR|Code|Stat|RCW|M\.R\.S|V\.S\.A|C\.R\.S|Law/);
      expect(o.verify === true ? typeof o.verifyReason : 'none').toBe(o.verify ? 'string' : 'none');
    }
    expect(p.verify).toBe(true);
  });

  it('names the privacy officer-readable media reason from the issue', () => {
    const p = plan(facts({ affected: { total: 700, byJurisdiction: { CA: 700 } } }));
    expect(find(p, 'HIPAA/media/CA')!.why).toMatch(/^More than 500 residents of California were affected \(700\): notice to prominent media outlets serving California/);
    expect(find(p, 'HIPAA/media/CA')!.citation).toBe('45 CFR 164.406(a), (b)'); // (a) more than 500, (b) timing
  });
});
