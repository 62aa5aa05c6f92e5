import fc from 'fast-check';
import { shippedPack } from '../../../test/factories/facts';
import { addDays } from './calendar';
import { DATA_STATES, IncidentFacts, Jurisdiction, JURISDICTIONS } from './facts';
import { DESTRUCTION_METHODS, ENCRYPTION_STANDARDS, namedMethod, namedStandard } from './safe-harbor';
import { planNotification } from './plan';
import { NotificationPlan } from './plan.types';

/** Properties of the plan over generated facts (fast-check, fixed seed so a failure replays). */

const SEED = 20261123;
const RUNS = 400;

const localDate = fc
  .date({ min: new Date('2010-01-01T00:00:00Z'), max: new Date('2035-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

const residency = fc.dictionary(fc.constantFrom<Jurisdiction>(...JURISDICTIONS), fc.integer({ min: 0, max: 2000 }), { maxKeys: 6 });

const lawEnforcement = fc.option(
  fc.record({
    statement: fc.constantFrom<'oral' | 'written'>('oral', 'written'),
    // A statement received before discovery is refused (contract, "Dates that cannot be").
    offset: fc.integer({ min: 0, max: 80 }),
    length: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined }),
  }),
  { nil: undefined },
);

const factsArb = fc
  .record({
    discovery: localDate,
    determinedAfter: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
    entity: fc.constantFrom<'covered_entity' | 'business_associate'>('covered_entity', 'business_associate'),
    byJurisdiction: residency,
    unknownResidence: fc.integer({ min: 0, max: 3000 }),
    insufficientContact: fc.integer({ min: 0, max: 50 }),
    exception: fc.constantFrom(null, null, null, 'unable_to_retain' as const),
    lowProbability: fc.constantFrom(null, false, false, true),
    encrypted: fc.option(fc.record({
      applied: fc.boolean(),
      keyCompromised: fc.constantFrom(undefined, false, false, true),
      standard: fc.constantFrom(undefined, ...ENCRYPTION_STANDARDS, 'nist sp 800-111', 'password-protected Excel file', 'AES-256, not FIPS 140-2 validated', 'BitLocker'),
      dataState: fc.constantFrom(undefined, ...DATA_STATES),
    }, { requiredKeys: ['applied'] }), { nil: undefined }),
    destroyed: fc.option(fc.record({
      applied: fc.boolean(),
      method: fc.constantFrom(undefined, ...DESTRUCTION_METHODS, 'SHREDDED', 'placed in recycling bin', 'files deleted (moved to Recycle Bin)', 'redaction'),
    }, { requiredKeys: ['applied'] }), { nil: undefined }),
    dataFormat: fc.constantFrom(undefined, 'electronic' as const, 'paper' as const, 'both' as const),
    le: lawEnforcement,
  })
  .map((g): IncidentFacts => {
    const known = Object.values(g.byJurisdiction).reduce((a, b) => a + b, 0);
    const total = Math.max(1, known + g.unknownResidence);
    return {
      discovery: { date: g.discovery },
      entity: { type: g.entity },
      exception: g.exception,
      riskAssessment: g.lowProbability === null ? null : { lowProbabilityOfCompromise: g.lowProbability },
      ...(g.encrypted || g.destroyed ? { safeguards: { ...(g.encrypted ? { encryption: defined(g.encrypted) } : {}), ...(g.destroyed ? { destruction: defined(g.destroyed) } : {}) } } : {}),
      ...(g.dataFormat ? { dataFormat: g.dataFormat } : {}),
      ...(g.determinedAfter !== undefined ? { determinedOn: addDays(g.discovery, g.determinedAfter) } : {}),
      affected: { total, byJurisdiction: g.byJurisdiction, insufficientContact: Math.min(total, g.insufficientContact) },
      ...(g.le
        ? {
          lawEnforcementDelay: {
            statement: g.le.statement,
            receivedOn: addDays(g.discovery, g.le.offset),
            ...(g.le.length !== undefined ? { delayUntil: addDays(g.discovery, g.le.offset + g.le.length) } : {}),
          },
        }
        : {}),
    };
  });

/** Drops the keys fast-check filled with undefined, as JSON input would not have them. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const plan = (f: IncidentFacts): NotificationPlan => planNotification(f, shippedPack);
const identity = (p: NotificationPlan) => new Set(p.obligations.map((o) => `${o.regime}|${o.audience}|${o.jurisdiction ?? ''}|${o.key}`));

describe('plan properties', () => {
  it('no obligation is due before discovery', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const p = plan(f);
        return p.obligations.every((o) => o.dueOn >= p.discoveryDate);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the plan says verify whenever one of its obligations, notes or state summaries does', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const p = plan(f);
        const anywhere = p.obligations.some((o) => o.verify) || p.notes.some((n) => n.verify) || (p.jurisdictions ?? []).some((j) => j.verify);
        return p.verify === (anywhere || p.determinationReason.verify || p.lawEnforcementHold?.verify === true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('without a law-enforcement delay, no HIPAA obligation is due after discovery + 60 days, except the annual log', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        const p = plan({ ...f, lawEnforcementDelay: undefined });
        const limit = addDays(p.discoveryDate, 60);
        return p.obligations
          .filter((o) => o.regime === 'HIPAA' && o.track !== 'annual_log')
          .every((o) => o.dueOn <= limit);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('raising a count never removes an obligation', () => {
    const raise = fc.record({
      extraTotal: fc.integer({ min: 0, max: 5000 }),
      state: fc.constantFrom<Jurisdiction>(...JURISDICTIONS),
      extraResidents: fc.integer({ min: 0, max: 2000 }),
      extraUnreachable: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(factsArb, raise, (f, r) => {
        const by = { ...(f.affected.byJurisdiction ?? {}) };
        by[r.state] = (by[r.state] ?? 0) + r.extraResidents;
        const total = f.affected.total + r.extraTotal + r.extraResidents;
        const raised: IncidentFacts = {
          ...f,
          affected: { total, byJurisdiction: by, insufficientContact: Math.min(total, (f.affected.insufficientContact ?? 0) + r.extraUnreachable) },
        };
        const after = identity(plan(raised));
        return [...identity(plan(f))].every((k) => after.has(k));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('(a) no plan is safe_harbor unless its encryption standard or destruction method is on the contract\'s lists', () => {
    fc.assert(
      fc.property(factsArb, (f) => {
        if (plan(f).determination !== 'safe_harbor') return true;
        const enc = f.safeguards?.encryption;
        const des = f.safeguards?.destruction;
        const encrypted = !!enc?.applied && namedStandard(enc.standard) !== null && enc.keyCompromised === false && enc.dataState !== 'in_use';
        const destroyed = !!des?.applied && namedMethod(des.method) !== null;
        return encrypted || destroyed;
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('(b) adding a law-enforcement statement never moves a date that was already past when it was received', () => {
    const statement = fc.record({
      statement: fc.constantFrom<'oral' | 'written'>('oral', 'written'),
      offset: fc.integer({ min: 0, max: 400 }),
      length: fc.integer({ min: 0, max: 300 }),
    });
    fc.assert(
      fc.property(factsArb, statement, (f, s) => {
        const without = plan({ ...f, lawEnforcementDelay: undefined });
        const receivedOn = addDays(without.discoveryDate, s.offset);
        const held = plan({ ...f, lawEnforcementDelay: { statement: s.statement, receivedOn, delayUntil: addDays(receivedOn, s.length) } });
        const after = new Map(held.obligations.map((o) => [o.key, o.dueOn]));
        return without.obligations.filter((o) => o.dueOn < receivedOn).every((o) => after.get(o.key) === o.dueOn);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('(c) a covered entity\'s dates with an agent business associate are never later than without one', () => {
    const told = fc.record({ earlier: fc.integer({ min: 0, max: 120 }), agent: fc.constantFrom<true | 'unknown'>(true, 'unknown') });
    fc.assert(
      fc.property(factsArb, told, (f, t) => {
        const own = { ...f, entity: { type: 'covered_entity' as const } };
        const without = plan(own);
        const withAgent = plan({ ...own, businessAssociate: { discoveredOn: addDays(without.discoveryDate, -t.earlier), agent: t.agent } });
        const before = new Map(without.obligations.map((o) => [o.key, o.dueOn]));
        return withAgent.discoveryDate <= without.discoveryDate
          && withAgent.obligations.every((o) => !before.has(o.key) || o.dueOn <= before.get(o.key)!);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
