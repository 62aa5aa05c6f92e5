import { lockWaiters, untilLockWaiter } from './pg-database';

/**
 * Holds the first call of an object's own method open after it ran, until `release()`: for tests
 * that need a unit of work to stay in flight while another starts. Nothing is replaced: every call
 * runs the real method; only the first then waits. `restore()` puts the method back.
 */
export interface Held {
  /** Resolves once the first call has run (and is being held). */
  reached: Promise<void>;
  /** How many calls were made so far. */
  readonly calls: number;
  release(): void;
  restore(): void;
}

export function holdFirstCall(target: object, method: string): Held {
  const o = target as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const own = o[method].bind(target);
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const first = new Promise<void>((r) => (reached = r));
  let calls = 0;
  const spy = jest.spyOn(o, method).mockImplementation(async (...args: unknown[]) => {
    const out = await own(...args);
    if (++calls === 1) {
      reached();
      await held;
    }
    return out;
  });
  return { reached: first, get calls() { return calls; }, release, restore: () => { release(); spy.mockRestore(); } };
}

/**
 * PostgreSQL race tests: starts `first`, holds it open at `held` (a holdFirstCall on a method it
 * calls), starts `second`, and lets go once the second waits on a lock or has already answered.
 * Answers how many sessions waited, and both outcomes.
 */
export async function overlap<A, B>(ds: Parameters<typeof lockWaiters>[0], held: Held, first: () => Promise<A>, second: () => Promise<B>): Promise<{ waited: number; a: A; b: B }> {
  try {
    const a = first();
    await held.reached;
    let answered = false;
    const b = second().finally(() => { answered = true; });
    const waited = await untilLockWaiter(ds, () => answered);
    held.release();
    return { waited, a: await a, b: await b };
  } finally {
    held.restore();
  }
}
