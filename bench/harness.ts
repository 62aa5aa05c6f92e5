import { spawnSync } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

/**
 * A small harness: each phase runs in its own child process (so peak memory is the phase's own),
 * several rounds alternate baseline and subject (so machine noise hits both), and the median
 * round is printed with its spread.
 */

export interface PhaseResult {
  items: number;
  seconds: number;
  /** Per-item latency in microseconds. */
  p50: number;
  p99: number;
  maxRssMb: number;
  /** Anything else the phase measured (pages laid out, say), printed under the table. */
  note?: string;
}

export function summarize(latenciesNs: BigInt64Array | bigint[], seconds: number): PhaseResult {
  const sorted = Array.from(latenciesNs, Number).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1000;
  return { items: sorted.length, seconds, p50: at(0.5), p99: at(0.99), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** Called by a phase script: runs the phase named on the command line and prints its result. */
export function runPhaseFromArgv(phases: Record<string, () => PhaseResult | Promise<PhaseResult>>): void {
  const name = process.argv[2];
  const phase = phases[name];
  if (!phase) throw new Error(`unknown phase ${name}; expected one of ${Object.keys(phases).join(', ')}`);
  Promise.resolve(phase()).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}


function runPhase(script: string, phase: string, loader = '@swc-node/register'): PhaseResult {
  // A script by absolute path: a phase file compiled elsewhere (bench/compiled.js runs the letters' on dist/).
  const run = spawnSync(process.execPath, ['-r', loader, isAbsolute(script) ? script : join(__dirname, script), phase], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (run.status !== 0) throw new Error(`${script} ${phase} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function compare(title: string, script: string, phases: { name: string; label: string; once?: boolean }[], rounds = 3, loader?: string): Map<string, PhaseResult[]> {
  const results = new Map<string, PhaseResult[]>(phases.map((p) => [p.name, []]));
  for (let r = 0; r < rounds; r++) {
    // A phase marked once (a setup such as an import) runs in the first round only.
    for (const p of phases) if (!p.once || r === 0) results.get(p.name)!.push(runPhase(script, p.name, loader));
  }
  console.log(`\n${title} (${rounds} rounds, median; spread is min..max throughput)`);
  console.log(`${'phase'.padEnd(44)}${'items/s'.padStart(12)}${'spread'.padStart(22)}${'p50 us'.padStart(10)}${'p99 us'.padStart(10)}${'peak RSS MB'.padStart(13)}`);
  for (const p of phases) {
    const rs = results.get(p.name)!;
    const rates = rs.map((x) => x.items / x.seconds);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
    console.log(
      `${p.label.padEnd(44)}${fmt(median(rates)).padStart(12)}${`${fmt(Math.min(...rates))}..${fmt(Math.max(...rates))}`.padStart(22)}` +
      `${median(rs.map((x) => x.p50)).toFixed(1).padStart(10)}${median(rs.map((x) => x.p99)).toFixed(1).padStart(10)}${median(rs.map((x) => x.maxRssMb)).toFixed(0).padStart(13)}`,
    );
  }
  for (const p of phases) {
    const notes = results.get(p.name)!.map((x) => x.note).filter(Boolean);
    if (notes.length) console.log(`  ${p.label}: ${notes.join('; ')}`);
  }
  return results;
}

/** How many times the subject costs its baseline, by median p50 latency and by median total time. */
export function costRatios(results: Map<string, PhaseResult[]>, baseline: string, subject: string): { p50: number; total: number } {
  const of = (name: string) => results.get(name) ?? [];
  return {
    p50: median(of(subject).map((x) => x.p50)) / median(of(baseline).map((x) => x.p50)),
    total: median(of(subject).map((x) => x.seconds / x.items)) / median(of(baseline).map((x) => x.seconds / x.items)),
  };
}
