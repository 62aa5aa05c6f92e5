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
