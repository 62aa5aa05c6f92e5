import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { facts, shippedPack } from '../factories/facts';
import { DATA_ELEMENTS, DataElement, EntityType, Jurisdiction } from '../../src/domain/rules/facts';
import { planNotification } from '../../src/domain/rules/plan';
import { NotificationPlan } from '../../src/domain/rules/plan.types';
import { hasStatute, StateRule } from '../../src/domain/rules/rule-pack';

/**
 * Confidence carries into the plan, across the whole pack: every jurisdiction the digest
 * (test/fixtures/state-laws.json) rates medium or low, and every fact it marks "recalled" (or
 * "from memory"), comes out with verify: true and a reason saying what to confirm, in every
 * obligation and note of that state, whether a notice is owed or not.
 */

const digest: Record<string, { confidence: string; [field: string]: unknown }> = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'state-laws.json'), 'utf8'));

const EVERY_ELEMENT: DataElement[] = DATA_ELEMENTS.filter((e) => e !== 'other');

function plan(code: Jurisdiction, residents: number, elements: DataElement[], type: EntityType = 'covered_entity'): NotificationPlan {
  return planNotification(facts({ entity: { type }, dataElements: elements, affected: { total: residents, byJurisdiction: { [code]: residents } } }), shippedPack);
}

/** Everything the plan says about one state: its obligations and its notes. */
function itemsOf(p: NotificationPlan, code: string) {
  return [...p.obligations.filter((o) => o.regime === `US-${code}`), ...p.notes.filter((n) => n.regime === `US-${code}`)];
}

const rated = Object.entries(digest).map(([code, d]) => {
  const rule = shippedPack.states[code as Jurisdiction];
  if (!rule || !hasStatute(rule)) throw new Error(`${code}: no statute in the pack`);
  const recalled = /recalled|from memory/i.test(JSON.stringify({ ...d, sources: undefined, changed_2026_12: undefined }));
  return { code: code as Jurisdiction, confidence: d.confidence, recalled, rule };
});
const uncertain = rated.filter((r) => r.confidence !== 'high');
const withRecalled = rated.filter((r) => r.recalled);

/** Breaches that reach every branch: above every threshold, below them, not covered, a vendor. */
const SCENARIOS: [string, (code: Jurisdiction) => NotificationPlan][] = [
  ['every kind of data, 6,000 residents', (code) => plan(code, 6000, EVERY_ELEMENT)],
  ['every kind of data, 1 resident (below every threshold)', (code) => plan(code, 1, EVERY_ELEMENT)],
  ['names and addresses only (not covered)', (code) => plan(code, 6000, ['name', 'address'])],
  ['a business associate, every kind of data', (code) => plan(code, 6000, EVERY_ELEMENT, 'business_associate')],
];

describe('confidence and recalled facts carry into the plan as verify: true, across the whole pack', () => {
  it('the digest rates some jurisdictions medium and marks some facts recalled (this suite tests something)', () => {
    expect(uncertain.length).toBeGreaterThan(20);
    expect(withRecalled.length).toBeGreaterThan(5);
  });

  describe.each(uncertain)('$code ($confidence confidence)', ({ code, rule }) => {
    it.each(SCENARIOS)('%s: every obligation and note of the state says verify, and why', (label, make) => {
      const p = make(code);
      const items = itemsOf(p, code);
      // A business associate in a state with no vendor clock owes it nothing: only the summary speaks.
      if (!(label.startsWith('a business associate') && !rule.serviceProviderNotice)) expect(items.length).toBeGreaterThan(0);
      for (const item of items) {
        expect({ why: item.why, verify: item.verify }).toEqual({ why: item.why, verify: true });
        expect(item.verifyReason).toContain(`${rule.name}'s entry is of ${rule.confidence} confidence`);
      }
      const summary = p.jurisdictions?.find((j) => j.jurisdiction === code);
      expect(summary?.verify).toBe(true);
      if (items.length) expect(p.verify).toBe(true);
    });
  });

  describe.each(withRecalled)('$code (a fact marked recalled)', ({ code, rule }) => {
    it('the pack lists what is recalled', () => {
      expect(rule.recalled.length).toBeGreaterThan(0);
    });

    it('a triggering breach names each recalled fact in something marked verify', () => {
      const items = itemsOf(plan(code, 6000, EVERY_ELEMENT), code).filter((i) => i.verify);
      const text = items.map((i) => `${i.why} ${i.verifyReason ?? ''}`).join(' ');
      for (const fact of rule.recalled) expect(text).toContain(fact);
    });
  });

  it('a fact the pack itself marks verify (a regulator, vendor or offer) keeps verify in the plan', () => {
    const checked: string[] = [];
    for (const { code, rule } of rated) {
      const owed = plan(code, 6000, EVERY_ELEMENT).obligations.concat(plan(code, 6000, EVERY_ELEMENT, 'business_associate').obligations);
      const sourced: [string, StateRule['regulators'][number] | NonNullable<StateRule['serviceProviderNotice']> | NonNullable<StateRule['creditMonitoring']>][] = [
        ...rule.regulators.map((r) => [`US-${code}/regulator/${r.id}`, r] as [string, typeof r]),
        ...(rule.serviceProviderNotice ? [[`US-${code}/covered_entity`, rule.serviceProviderNotice] as [string, typeof rule.serviceProviderNotice]] : []),
        ...(rule.creditMonitoring ? [[`US-${code}/individuals/credit-monitoring`, rule.creditMonitoring] as [string, typeof rule.creditMonitoring]] : []),
      ];
      for (const [key, s] of sourced) {
        const o = owed.find((x) => x.key === key);
        if (!o || !s.verify) continue;
        expect({ key, verify: o.verify }).toEqual({ key, verify: true });
        expect(o.verifyReason).toContain(s.verifyReason);
        checked.push(key);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['US-NY/covered_entity', 'US-MD/covered_entity']));
  });

  it("Maryland's HIPAA deemer (14-3507, subsection not verified) drops the residents' and the Attorney General's notice only with verify", () => {
    const items = itemsOf(plan('MD', 6000, EVERY_ELEMENT), 'MD');
    expect(items.filter((i) => 'key' in i)).toEqual([]);
    expect(items.length).toBeGreaterThanOrEqual(2);
    for (const i of items) {
      expect(i.verify).toBe(true);
      expect(i.verifyReason).toContain('14-3507');
    }
  });
});
