import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { facts, shippedPack } from '../factories/facts';
import { DataElement, EntityType, Jurisdiction } from '../../src/domain/rules/facts';
import { planNotification } from '../../src/domain/rules/plan';
import { NotificationPlan } from '../../src/domain/rules/plan.types';
import { hasStatute } from '../../src/domain/rules/rule-pack';
import { validateRulePack } from '../../src/domain/rules/state/validate-pack';

/**
 * Data the contract's vocabulary has no word for ("other"), and a business associate in a state
 * whose entry names no vendor clock: neither may end in silence. Discovery 2026-03-02 throughout.
 */

function plan(code: Jurisdiction, elements: DataElement[], type: EntityType = 'covered_entity', residents = 300): NotificationPlan {
  return planNotification(facts({ entity: { type }, dataElements: elements, affected: { total: residents, byJurisdiction: { [code]: residents } } }), shippedPack);
}
const ofState = (p: NotificationPlan, code: string) => ({
  obligations: p.obligations.filter((o) => o.regime === `US-${code}`),
  notes: p.notes.filter((n) => n.regime === `US-${code}`),
  summary: p.jurisdictions?.find((j) => j.jurisdiction === code),
});

describe('"other" data where a statute covers elements the vocabulary has no word for', () => {
  it('North Dakota (mother\'s maiden name, digitized signature): names + other data are planned, with verify and what to confirm', () => {
    const nd = ofState(plan('ND', ['name', 'other'], 'covered_entity', 300), 'ND');
    // ND deems HIPAA notice compliance (51-30-06): what it would require is said in notes.
    const items = [...nd.obligations, ...nd.notes];
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) {
      expect(item.verify).toBe(true);
      expect(item.verifyReason).toContain("mother's maiden name");
      expect(item.verifyReason).toContain('if it was none of them, N.D. Cent. Code 51-30-02 requires no notice');
    }
    expect(nd.summary?.verify).toBe(true);
  });

  it('North Dakota: other data without names is not covered (its extra elements count only with the name)', () => {
    const nd = ofState(plan('ND', ['other']), 'ND');
    expect(nd.obligations).toEqual([]);
    expect(nd.summary?.status).toBe('no_obligation');
    expect(nd.notes.map((n) => n.why).join(' ')).toContain('No North Dakota notice is triggered');
  });

  it('Texas (no such elements in its entry): names + other data stay not covered, flagged to confirm', () => {
    const tx = ofState(plan('TX', ['name', 'other'], 'covered_entity', 300), 'TX');
    expect(tx.obligations).toEqual([]);
    expect(tx.notes).toHaveLength(1);
    expect(tx.notes[0]).toMatchObject({ verify: true });
    expect(tx.notes[0].why).toContain('"Other" data was involved too: confirm it is none of these.');
  });

  it('Vermont (genetic information; 45 days from discovery, no clear HIPAA deemer): names + other data plan the residents\' notice by 2026-04-16 (2026-03-02 + 45 days), with verify', () => {
    const p = plan('VT', ['name', 'other'], 'covered_entity', 300);
    const vt = ofState(p, 'VT');
    const individuals = vt.obligations.find((o) => o.key === 'US-VT/individuals');
    expect(individuals?.dueOn).toBe('2026-04-16');
    expect(individuals?.verify).toBe(true);
    expect(individuals?.verifyReason).toContain('also covers genetic information');
    expect(p.verify).toBe(true);
  });

  it('Puerto Rico (tax information, work evaluations): names + other data plan the consumer-affairs notice by 2026-03-12 (10 days after 2026-03-02), with verify', () => {
    const pr = ofState(plan('PR', ['name', 'other'], 'covered_entity', 300), 'PR');
    const daco = pr.obligations.find((o) => o.audience === 'regulator');
    expect(daco?.dueOn).toBe('2026-03-12');
    expect(daco?.verifyReason).toContain('tax information or work evaluations');
  });

  it('Wisconsin (DNA profile) deems HIPAA notice compliance: the note that says so carries the reason too', () => {
    const wi = ofState(plan('WI', ['name', 'other'], 'covered_entity', 300), 'WI');
    expect(wi.obligations).toEqual([]);
    for (const n of wi.notes) expect(n.verifyReason).toContain('a DNA profile');
  });

  it('Pennsylvania\'s entry names no other elements: an SSN breach is planned without this reason', () => {
    const pa = ofState(plan('PA', ['name', 'ssn', 'other'], 'covered_entity', 600), 'PA');
    for (const item of [...pa.obligations, ...pa.notes]) expect(item.verifyReason ?? '').not.toContain('"Other" data was involved, and');
  });

  it('the pack refuses otherElements beside "other" in the lists (a contradiction) and a malformed one', () => {
    const pack = JSON.parse(readFileSync(join(__dirname, '..', '..', 'config', 'state-rules.json'), 'utf8'));
    pack.states.ND.personalInformation.alone.push('other');
    pack.states.WI.personalInformation.otherElements = { covers: 3 };
    const r = validateRulePack(pack);
    expect(r.ok).toBe(false);
    const paths = r.ok ? [] : r.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining([
      'states.ND.personalInformation.otherElements',
      'states.WI.personalInformation.otherElements.covers',
      'states.WI.personalInformation.otherElements.withName',
    ]));
  });
});

describe('a business associate in a state whose entry names no vendor clock', () => {
  const without = (Object.keys(shippedPack.states) as Jurisdiction[]).filter((c) => {
    const rule = shippedPack.states[c];
    return rule && hasStatute(rule) && !rule.serviceProviderNotice;
  });

  it('there are such states (this suite tests something)', () => {
    expect(without.length).toBeGreaterThan(0);
  });

  it.each(without)('%s: a note says so, points at HIPAA 164.410(b), and asks to confirm', (code) => {
    const s = ofState(plan(code, ['name', 'ssn', 'medical', 'financial_account', 'drivers_license'], 'business_associate', 600), code);
    expect(s.obligations).toEqual([]);
    const note = s.notes.find((n) => n.why.includes('names no deadline'));
    expect(note).toBeDefined();
    expect(note?.why).toContain('45 CFR 164.410(b)');
    expect(note).toMatchObject({ verify: true });
    expect(note?.verifyReason).toContain('Confirm with counsel whether');
    expect(s.summary).toMatchObject({ status: 'no_obligation', verify: true });
    expect(s.summary?.why).toContain('names no deadline');
  });
});
