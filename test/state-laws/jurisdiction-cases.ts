import { facts, shippedPack } from '../factories/facts';
import { DataElement, IncidentFacts, Jurisdiction } from '../../src/domain/rules/facts';
import { planNotification } from '../../src/domain/rules/plan';
import { NotificationPlan } from '../../src/domain/rules/plan.types';

/**
 * One jurisdiction's cases (discovered Monday 2026-03-02; HIPAA's individual notice and, at 500
 * or more, its HHS report are due Friday 2026-05-01). Expected dates are written by hand.
 */
export interface JurisdictionCase {
  code: Jurisdiction;
  /** Residents in the triggering case (names, Social Security numbers and medical information). */
  residents: number;
  /** The covered entity's state obligations: key suffix, due date, a fragment of the citation. */
  owes: [string, string, string][];
  /** HIPAA notice is deemed compliance (digest: yes or partial): no notice to residents is planned. */
  hipaaExempt?: boolean;
  /** A business associate's notice to the data owner: due date, citation fragment. */
  vendor?: [string, string];
  /** Below a regulator's threshold: residents, and the duty that falls away. */
  below?: [number, string];
}

export const TRIGGERING: DataElement[] = ['name', 'ssn', 'medical'];
/** No statute's definition of personal information holds names with addresses only. */
export const NOT_COVERED: DataElement[] = ['name', 'address'];

export function planFor(code: Jurisdiction, residents: number, elements: DataElement[], over: Partial<IncidentFacts> = {}): NotificationPlan {
  return planNotification(facts({ ...over, dataElements: elements, affected: { total: residents, byJurisdiction: { [code]: residents } } }), shippedPack);
}

export function stateOf(p: NotificationPlan, code: Jurisdiction) {
  return p.obligations.filter((o) => o.regime === `US-${code}`);
}

export function runCases(cases: JurisdictionCase[]): void {
  describe.each(cases)('$code', (c) => {
    it(`a breach of ${c.residents} residents' names, SSNs and medical information: its obligations, with dates and citations`, () => {
      const p = planFor(c.code, c.residents, TRIGGERING);
      expect(stateOf(p, c.code).map((o) => [o.key.replace(`US-${c.code}/`, ''), o.dueOn])).toEqual(c.owes.map(([k, d]) => [k, d]));
      stateOf(p, c.code).forEach((o, n) => expect(o.citation).toContain(c.owes[n][2]));
      const summary = p.jurisdictions?.find((j) => j.jurisdiction === c.code);
      expect(summary?.statute).toEqual(expect.any(String));
      expect(summary?.status).toBe(c.owes.length ? 'obligations' : 'no_obligation');
      if (!c.owes.length) expect(summary?.why).toEqual(expect.any(String));
    });

    it('names and addresses only: the statute is not triggered, and the plan says why', () => {
      const p = planFor(c.code, c.residents, NOT_COVERED);
      expect(stateOf(p, c.code)).toEqual([]);
      expect(p.notes.some((n) => n.regime === `US-${c.code}` && /does not cover the data involved/.test(n.why))).toBe(true);
      expect(p.jurisdictions?.find((j) => j.jurisdiction === c.code)?.why).toMatch(/does not cover/);
    });

    if (c.hipaaExempt) {
      it('HIPAA notice is deemed compliance for residents: no state notice to them, and a note saying so', () => {
        const p = planFor(c.code, c.residents, TRIGGERING);
        expect(stateOf(p, c.code).filter((o) => o.key === `US-${c.code}/individuals`)).toEqual([]);
        expect(p.notes.some((n) => n.regime === `US-${c.code}` && /satisfies/.test(n.why))).toBe(true);
      });
    }

    if (c.vendor) {
      const [dueOn, citation] = c.vendor;
      it(`a business associate owes the data owner notice by ${dueOn}`, () => {
        const p = planFor(c.code, c.residents, TRIGGERING, { entity: { type: 'business_associate' } });
        expect(stateOf(p, c.code).map((o) => [o.audience, o.dueOn])).toEqual([['covered_entity', dueOn]]);
        expect(stateOf(p, c.code)[0].citation).toContain(citation);
      });
    }

    if (c.below) {
      const [residents, key] = c.below;
      it(`${residents} residents: under the threshold, no ${key}, and a note saying so`, () => {
        const p = planFor(c.code, residents, TRIGGERING);
        expect(stateOf(p, c.code).map((o) => o.key)).not.toContain(`US-${c.code}/${key}`);
        expect(p.notes.some((n) => n.regime === `US-${c.code}` && /required only when|must be told only when/.test(n.why))).toBe(true);
      });
    }
  });
}
