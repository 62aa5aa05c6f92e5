import { facts, shippedPack } from '../../../test/factories/facts';
import { addDays, weekday } from './calendar';
import { IncidentFacts } from './facts';
import { planNotification } from './plan';
import { NotificationPlan } from './plan.types';

/** The edge cases of section 14 of the breach digest that the plan can express. */

const plan = (f: IncidentFacts): NotificationPlan => planNotification(f, shippedPack);
const due = (p: NotificationPlan, key: string) => p.obligations.find((o) => o.key === key)?.dueOn;
const keys = (p: NotificationPlan) => p.obligations.map((o) => o.key);

describe('1. discovery on December 31, fewer than 500', () => {
  it('individual notice and the annual log are both due 2025-03-01, a Saturday, and neither moves', () => {
    const p = plan(facts({ discovery: { date: '2024-12-31' } }));
    expect(due(p, 'HIPAA/individuals')).toBe('2025-03-01');
    expect(due(p, 'HIPAA/hhs')).toBe('2025-03-01');
    expect(weekday('2025-03-01')).toBe(6);
  });
});

describe('2. a discovery timestamp near midnight in a US time zone', () => {
  it('23:30 in Los Angeles on Dec 31 is 2024 local, though 2025 in UTC', () => {
    const p = plan(facts({ discovery: { at: '2025-01-01T07:30:00Z', timezone: 'America/Los_Angeles' } }));
    expect(p.discoveryDate).toBe('2024-12-31');
    expect(due(p, 'HIPAA/individuals')).toBe('2025-03-01');
    expect(due(p, 'HIPAA/hhs')).toBe('2025-03-01');
    expect(p.discoveryDateReason).toContain('America/Los_Angeles');
  });

  it('the contract example: 04:30Z on Jan 1 is Dec 31 in New York', () => {
    expect(plan(facts({ discovery: { at: '2026-01-01T04:30:00Z', timezone: 'America/New_York' } })).discoveryDate).toBe('2025-12-31');
  });

  it('the same instant east of UTC is already the next day', () => {
    expect(plan(facts({ discovery: { at: '2025-12-31T23:30:00-05:00', timezone: 'Asia/Tokyo' } })).discoveryDate).toBe('2026-01-01');
  });
});

describe('3. leap years', () => {
  it.each([
    ['2023-06-01', '2024-02-29'],
    ['2027-11-30', '2028-02-29'],
    ['2024-05-05', '2025-03-01'],
    ['2025-05-05', '2026-03-01'],
    ['2026-05-05', '2027-03-01'],
  ])('a small breach discovered %s goes on the annual log due %s', (date, expected) => {
    expect(due(plan(facts({ discovery: { date } })), 'HIPAA/hhs')).toBe(expected);
  });

  it.each([
    ['2023-12-31', '2024-02-29'],
    ['2024-02-29', '2024-04-29'],
    ['2024-01-01', '2024-03-01'],
    ['2025-01-01', '2025-03-02'],
    ['2025-01-15', '2025-03-16'],
  ])('discovered %s: individual notice due %s (never "+2 months")', (date, expected) => {
    expect(due(plan(facts({ discovery: { date } })), 'HIPAA/individuals')).toBe(expected);
  });
});

describe('4. exactly 500 individuals, all in one state', () => {
  const exactly500 = (state: string) => plan(facts({ affected: { total: 500, byJurisdiction: { [state]: 500 } } }));

  it('HHS is reported with the individual notice (500 or more), but no media notice (not more than 500)', () => {
    const p = exactly500('MN');
    expect(p.obligations.find((o) => o.audience === 'hhs')?.track).toBe('with_individual_notice');
    expect(p.obligations.some((o) => o.audience === 'media')).toBe(false);
  });

  it.each([
    ['CO', true],
    ['FL', true],
    ['WA', false],
    ['CA', false],
  ])('the %s attorney general notice at exactly 500: %s', (state, expected) => {
    const p = exactly500(state);
    const ag = p.obligations.some((o) => o.regime === `US-${state}` && o.audience === 'regulator');
    expect(ag).toBe(expected);
    if (!expected) expect(p.notes.some((n) => n.regime === `US-${state}` && /required only when more than 500/.test(n.why))).toBe(true);
  });
});

describe('5. 500 spread across states', () => {
  it('HHS with the individual notice, no media anywhere', () => {
    const p = plan(facts({ affected: { total: 500, byJurisdiction: { CA: 300, NV: 150, AZ: 50 } } }));
    expect(p.obligations.find((o) => o.audience === 'hhs')?.track).toBe('with_individual_notice');
    expect(p.obligations.filter((o) => o.audience === 'media')).toEqual([]);
  });
});

describe('6. 501 in one state, 2,000 more spread thin', () => {
  it('media notice only in the state with 501', () => {
    const p = plan(facts({ affected: { total: 2501, byJurisdiction: { OR: 501, ID: 499, NV: 499, UT: 499, MT: 499, WY: 4 } } }));
    expect(p.obligations.filter((o) => o.audience === 'media').map((o) => o.jurisdiction)).toEqual(['OR']);
  });
});

describe('7. the count grows after the first assessment', () => {
  it('moves HHS to the 500-or-more track, still due 60 days after the original discovery', () => {
    const before = plan(facts({ affected: { total: 450, byJurisdiction: { MN: 450 } } }));
    const after = plan(facts({ affected: { total: 620, byJurisdiction: { MN: 620 } } }));
    expect(before.obligations.find((o) => o.audience === 'hhs')).toMatchObject({ track: 'annual_log', dueOn: '2027-03-01' });
    expect(after.obligations.find((o) => o.audience === 'hhs')).toMatchObject({ track: 'with_individual_notice', dueOn: '2026-05-01' });
    expect(keys(after)).toContain('HIPAA/media/MN');
  });
});

describe('8. an oral law-enforcement statement, then a written one', () => {
  const discovered = '2026-03-02';
  const day = (n: number) => addDays(discovered, n);
  const withDelay = (lawEnforcementDelay: IncidentFacts['lawEnforcementDelay']) =>
    plan(facts({ affected: { total: 900, byJurisdiction: { MN: 900 }, insufficientContact: 20 }, lawEnforcementDelay }));

  it('a written statement on day 25 with a 90-day period extends the oral hold per the letter', () => {
    const p = withDelay({ statement: 'oral', receivedOn: day(10), official: 'SA J. Reyes, FBI Minneapolis', writtenFollowUp: { receivedOn: day(25), delayUntil: day(115) } });
    expect(p.lawEnforcementHold?.endsOn).toBe(day(115));
    expect(p.lawEnforcementHold?.citation).toBe('45 CFR 164.412(a), (b)');
  });

  it('(a) no written statement: the hold ends on day 40 exactly, and the official must be documented', () => {
    const p = withDelay({ statement: 'oral', receivedOn: day(10) });
    expect(p.lawEnforcementHold?.endsOn).toBe(day(40));
    expect(p.lawEnforcementHold?.verifyReason).toContain('Document who the official is');
    // Day 40 is before day 60: the hold moves nothing.
    expect(due(p, 'HIPAA/individuals')).toBe(day(60));
  });

  it('(b) a written statement after the oral hold lapsed: no automatic extension, escalate', () => {
    const p = withDelay({ statement: 'oral', receivedOn: day(10), official: 'Det. K. Lund', writtenFollowUp: { receivedOn: day(45), delayUntil: day(120) } });
    expect(p.lawEnforcementHold?.endsOn).toBe(day(40));
    expect(p.lawEnforcementHold?.verifyReason).toMatch(/grey area: escalate to counsel/);
  });

  it('(c) a written statement with no period counts as oral', () => {
    const p = withDelay({ statement: 'written', receivedOn: day(50), official: 'AUSA M. Chen' });
    expect(p.lawEnforcementHold?.endsOn).toBe(day(80));
    expect(p.lawEnforcementHold?.verifyReason).toContain('treated as oral');
  });

  it('(d) the hold covers HHS, media and the substitute (web) notice alike', () => {
    const p = withDelay({ statement: 'oral', receivedOn: day(50), official: 'Det. K. Lund' });
    const held = p.obligations.filter((o) => o.regime === 'HIPAA').map((o) => [o.audience, o.dueOn]);
    expect(held).toEqual([
      ['individuals', day(80)],
      ['substitute_notice', day(80)],
      ['media', day(80)],
      ['hhs', day(80)],
    ]);
  });
});

describe('9-11. encryption that does not give safe harbor', () => {
  const encrypted = { applied: true, keyCompromised: false, standard: 'FIPS 140-2 validated AES-256, NIST SP 800-111' };

  it('9. a key on a sticky note on the stolen laptop: unsecured, a breach', () => {
    const p = plan(facts({ safeguards: { encryption: { ...encrypted, keyStoredWithDevice: true } } }));
    expect(p.determination).toBe('breach');
    expect(p.notes[0].why).toMatch(/kept with the device/);
  });

  it('9. a compromised key: a breach', () => {
    expect(plan(facts({ safeguards: { encryption: { ...encrypted, keyCompromised: true } } })).determination).toBe('breach');
  });

  it('a key status nobody recorded counts as compromised', () => {
    const p = plan(facts({ safeguards: { encryption: { applied: true, standard: 'NIST SP 800-111' } } }));
    expect(p.determination).toBe('breach');
    expect(p.notes[0].why).toMatch(/unknown key status/);
  });

  it('10. stolen while on and unlocked: not safe harbor, flagged for counsel', () => {
    const p = plan(facts({ safeguards: { encryption: { ...encrypted, unlockedAtIncident: true } } }));
    expect(p.determination).toBe('breach');
    expect(p.notes[0]).toMatchObject({ verify: true });
    expect(p.verify).toBe(true);
  });

  it('11. ransomware on a mounted full-disk-encrypted server: breach presumed', () => {
    const p = plan(facts({ safeguards: { encryption: { ...encrypted, unlockedAtIncident: true } }, riskAssessment: null }));
    expect(p.determination).toBe('breach');
    expect(p.determinationReason.why).toMatch(/presumed to be a breach/);
  });

  it('redaction is not destruction', () => {
    const p = plan(facts({ safeguards: { destruction: { applied: true, method: 'redaction with a marker' } } }));
    expect(p.determination).toBe('breach');
  });

  // Contract, "Safe harbor is a named process": no standard recorded means not secured (it was
  // safe harbor with a verify flag before 2026-12; a false all-clear is the worse error).
  it('encryption without a named standard is not safe harbor, and says what to record', () => {
    const p = plan(facts({ safeguards: { encryption: { applied: true, keyCompromised: false } } }));
    expect(p.determination).toBe('breach');
    expect(p.determinationReason).toMatchObject({ verify: true });
    expect(p.determinationReason.why).toContain('NIST SP 800-111');
  });
});

describe('12. a business associate', () => {
  it('discovering on 2025-03-01 owes the covered entity notice by 2025-04-30', () => {
    const p = plan(facts({ discovery: { date: '2025-03-01' }, entity: { type: 'business_associate' } }));
    expect(p.obligations.map((o) => [o.audience, o.dueOn])).toEqual([['covered_entity', '2025-04-30']]);
  });

  it('with Florida residents also owes the Florida 10-day third-party agent notice', () => {
    const p = plan(facts({ discovery: { date: '2025-03-01' }, entity: { type: 'business_associate' }, affected: { total: 40, byJurisdiction: { FL: 40 } } }));
    expect(p.obligations.map((o) => [o.regime, o.audience, o.dueOn])).toEqual([
      ['HIPAA', 'covered_entity', '2025-04-30'],
      ['US-FL', 'covered_entity', '2025-03-11'],
    ]);
  });
});

describe('13 and 22. substitute notice counts only the unreachable', () => {
  it('300 in one state with 12 bad addresses: no media notice, but web or media substitute notice', () => {
    const p = plan(facts({ affected: { total: 300, byJurisdiction: { MN: 300 }, insufficientContact: 12 } }));
    expect(p.obligations.some((o) => o.audience === 'media')).toBe(false);
    expect(p.obligations.find((o) => o.audience === 'substitute_notice')?.form).toBe('web_or_media_with_toll_free');
  });

  it('9,000 affected with 9 unreachable: the alternative form', () => {
    const p = plan(facts({ affected: { total: 9000, byJurisdiction: { MN: 9000 }, insufficientContact: 9 } }));
    expect(p.obligations.find((o) => o.audience === 'substitute_notice')?.form).toBe('alternative');
  });
});

describe('16. the exclusions as a privacy officer would record them', () => {
  it('a nurse opens the wrong chart while treating and closes it: exception 1', () => {
    expect(plan(facts({ exception: 'unintentional_workforce' })).determination).toBe('exception');
  });
  it('a receptionist browses a celebrity\'s chart: no exception, no low probability: breach', () => {
    expect(plan(facts({ exception: null, riskAssessment: { lowProbabilityOfCompromise: false } })).determination).toBe('breach');
  });
  it('a misdirected fax to another provider that attests destruction: low probability', () => {
    expect(plan(facts({ riskAssessment: { lowProbabilityOfCompromise: true } })).determination).toBe('low_probability');
  });
  it('an EOB returned unopened by USPS: exception 3', () => {
    expect(plan(facts({ exception: 'unable_to_retain' })).determinationReason.citation).toBe('45 CFR 164.402(1)(iii)');
  });
});

describe('18. a discovery date set earlier than the day it was entered', () => {
  it('moves every deadline earlier', () => {
    const entered = plan(facts({ discovery: { date: '2026-03-20' } }));
    const alert = plan(facts({ discovery: { date: '2026-03-01' } }));
    expect(due(entered, 'HIPAA/individuals')).toBe('2026-05-19');
    expect(due(alert, 'HIPAA/individuals')).toBe('2026-04-30');
  });
});

describe('19. a paper-only breach', () => {
  it('triggers no Texas or Florida notice (computerized data only) but does trigger Washington\'s', () => {
    const p = plan(facts({ dataFormat: 'paper', affected: { total: 1600, byJurisdiction: { TX: 300, FL: 700, WA: 600 } } }));
    expect(p.obligations.filter((o) => o.regime !== 'HIPAA').map((o) => o.key)).toEqual(['US-WA/regulator/attorney-general']);
    expect(p.notes.filter((n) => /computerized data only/.test(n.why)).map((n) => n.regime)).toEqual(['US-FL', 'US-TX']);
    expect(keys(p)).toEqual(expect.arrayContaining(['HIPAA/individuals', 'HIPAA/media/FL', 'HIPAA/media/WA', 'HIPAA/hhs']));
  });
});

describe('20. several regulator clocks on one incident', () => {
  const p = plan(facts({
    discovery: { date: '2025-11-03' },
    affected: { total: 274, byJurisdiction: { NY: 12, ME: 1, TX: 260, VT: 1 } },
  }));

  it('New York: the state agencies, and a copy of the HHS notice within 5 business days of it', () => {
    expect(due(p, 'HIPAA/hhs')).toBe('2026-03-01');
    expect(due(p, 'US-NY/regulator/state-agencies')).toBe('2026-01-02');
    // 2026-03-01 is a Sunday: Mon 2 .. Fri 6 are the five business days.
    expect(due(p, 'US-NY/regulator/hhs-copy')).toBe('2026-03-06');
  });

  it('Maine: the attorney general, with residents notified within 30 days', () => {
    expect(due(p, 'US-ME/individuals')).toBe('2025-12-03');
    expect(due(p, 'US-ME/regulator/attorney-general')).toBe('2025-12-03');
  });

  it('Texas: the attorney general within 30 days of determination (260 is at least 250)', () => {
    expect(due(p, 'US-TX/regulator/attorney-general')).toBe('2025-12-03');
  });

  it('Vermont: a preliminary notice within 14 business days, Veterans Day not counted', () => {
    // Nov 4..7 (4), 10 + 12..14 (8; Nov 11 is a holiday), 17..21 (13), 24 (14).
    expect(due(p, 'US-VT/regulator/attorney-general-preliminary')).toBe('2025-11-24');
    expect(due(p, 'US-VT/individuals')).toBe('2025-12-18');
  });
});

describe('a hold the official lifts early', () => {
  it('ends on the day it is lifted', () => {
    const p = planNotification(facts({
      lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-05', delayUntil: '2026-08-01', liftedOn: '2026-05-20' },
    }), shippedPack);
    expect(p.lawEnforcementHold?.endsOn).toBe('2026-05-20');
    expect(p.obligations.find((o) => o.key === 'HIPAA/individuals')?.dueOn).toBe('2026-05-20');
    expect(p.lawEnforcementHold?.why).toContain('lifted the delay on 2026-05-20');
  });
});
