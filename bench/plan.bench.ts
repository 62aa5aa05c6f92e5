import { join } from 'node:path';
import { loadRulePack } from '../src/config/config';
import { addDays } from '../src/domain/rules/calendar';
import { JURISDICTIONS } from '../src/domain/rules/facts';
import { planFromInput } from '../src/domain/rules/plan';
import { PhaseResult, runPhaseFromArgv, summarize } from './harness';

/** Plans per second over 100k varied facts, against parsing the same JSON alone. */

const COUNT = 100_000;

/** A seeded PRNG (mulberry32), so every run plans the same 100k incidents. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generate(): string[] {
  const r = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    const discovery = addDays('2015-01-01', Math.floor(r() * 4000));
    const byJurisdiction: Record<string, number> = {};
    const states = 1 + Math.floor(r() * 5);
    for (let s = 0; s < states; s++) byJurisdiction[pick(JURISDICTIONS)] = Math.floor(r() ** 3 * 5000);
    const known = Object.values(byJurisdiction).reduce((a, b) => a + b, 0);
    const total = Math.max(1, known + Math.floor(r() * 200));
    const roll = r();
    out.push(JSON.stringify({
      discovery: r() < 0.5 ? { date: discovery } : { at: `${discovery}T${String(Math.floor(r() * 24)).padStart(2, '0')}:30:00Z`, timezone: pick(['America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu']) },
      entity: { type: r() < 0.9 ? 'covered_entity' : 'business_associate' },
      exception: roll < 0.05 ? 'unable_to_retain' : null,
      riskAssessment: roll > 0.95 ? { lowProbabilityOfCompromise: true } : null,
      ...(roll > 0.05 && roll < 0.1 ? { safeguards: { encryption: { applied: true, keyCompromised: r() < 0.5, standard: 'NIST SP 800-111' } } } : {}),
      affected: { total, byJurisdiction, insufficientContact: Math.floor(r() * Math.min(total, 40)) },
      ...(r() < 0.1 ? { lawEnforcementDelay: { statement: pick(['oral', 'written']), receivedOn: addDays(discovery, 5), delayUntil: addDays(discovery, 20 + Math.floor(r() * 120)) } } : {}),
    }));
  }
  return out;
}

/** The same breach (600 residents, names, SSNs and medical information) in one state, or in all 56 codes. */
function breach(states: readonly string[]): string {
  return JSON.stringify({
    discovery: { date: '2026-03-02' },
    entity: { type: 'covered_entity' },
    dataElements: ['name', 'ssn', 'medical'],
    affected: { total: 600 * states.length, byJurisdiction: Object.fromEntries(states.map((c) => [c, 600])) },
  });
}
const SAME = 20_000;

function measure(inputs: string[], work: (json: string) => unknown): PhaseResult {
  const latencies = new BigInt64Array(inputs.length);
  let sink = 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < inputs.length; i++) {
    const t0 = process.hrtime.bigint();
    sink += work(inputs[i]) ? 1 : 0;
    latencies[i] = process.hrtime.bigint() - t0;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (sink !== inputs.length) throw new Error('a result went missing');
  return summarize(latencies, seconds);
}

if (require.main === module) {
  const pack = loadRulePack(join(__dirname, '..', 'config', 'state-rules.json'));
  const inputs = generate();
  runPhaseFromArgv({
    parse: () => measure(inputs, (json) => JSON.parse(json)),
    plan: () => measure(inputs, (json) => {
      const result = planFromInput(JSON.parse(json), pack);
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
      return result.value;
    }),
    oneState: () => measure(Array(SAME).fill(breach(['NJ'])), (json) => planFromInput(JSON.parse(json), pack).ok),
    allStates: () => measure(Array(SAME).fill(breach(JURISDICTIONS)), (json) => planFromInput(JSON.parse(json), pack).ok),
  });
}
