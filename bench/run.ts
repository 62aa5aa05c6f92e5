import { compare } from './harness';

/** `npm run bench`: every benchmark, each beside its baseline measured in the same run. */
console.log(`breachflow benchmarks, node ${process.version}, ${new Date().toISOString()}`);
compare('bench/plan: 100,000 varied incident facts', 'plan.bench.ts', [
  { name: 'parse', label: 'baseline: JSON.parse alone' },
  { name: 'plan', label: 'JSON.parse + validate + plan' },
]);
