import { Checker, JsonObject } from '../validation';
import { COVERAGE_PARTS, CoveragePart } from './coverage';

/** The largest amount a ledger takes: a billion dollars is no practice's claim, and a typo. */
export const MAX_DOLLARS = 1_000_000_000;

/** Dollars with at most two decimals, from 0 to MAX_DOLLARS. */
export function dollars(c: Checker, v: unknown, path: string): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) return c.fail(path, `must be an amount in dollars, e.g. 1250.50; got ${JSON.stringify(v)}`);
  if (v < 0 || v > MAX_DOLLARS) return c.fail(path, `must be from 0 to ${MAX_DOLLARS.toLocaleString('en-US')} dollars, got ${v}`);
  if (Math.abs(Math.round(v * 100) - v * 100) > 1e-6) return c.fail(path, 'has more than two decimals (cents)');
  return v;
}

export const optionalDollars = (c: Checker, v: unknown, path: string) => (v === undefined ? undefined : dollars(c, v, path));

export function part(c: Checker, v: unknown, path: string): CoveragePart | undefined {
  return c.oneOf(v, path, COVERAGE_PARTS);
}

export function parts(c: Checker, v: unknown, path: string): CoveragePart[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > COVERAGE_PARTS.length) return c.fail(path, `must be a list of coverage parts (${COVERAGE_PARTS.join(', ')})`);
  v.forEach((x, i) => part(c, x, `${path}[${i}]`));
  return v as CoveragePart[];
}

export function subLimits(c: Checker, v: unknown, path: string): unknown {
  if (v === undefined) return undefined;
  const o = c.object(v, path, COVERAGE_PARTS);
  if (o) for (const [k, x] of Object.entries(o)) dollars(c, x, `${path}.${k}`);
  return o;
}

export function vendors(c: Checker, v: unknown, path: string): unknown {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length > 50) return c.fail(path, 'must be a list of at most 50 vendor names');
  v.forEach((x, i) => {
    if (typeof x !== 'string' || x.trim() === '' || x.length > 200) c.fail(`${path}[${i}]`, 'must be a vendor name (200 characters at most)');
  });
  return v;
}

export function months(c: Checker, v: unknown, path: string): unknown {
  if (v === undefined) return undefined;
  const n = c.integer(v, path, 1);
  if (n !== undefined && n > 60) c.fail(path, `must be at most 60 months, got ${n}`);
  return n;
}

/** Checks across the policy's fields: the period runs forward, limits above the retention. */
export function checkPolicyTerms(c: Checker, o: JsonObject): void {
  for (const key of ['periodStart', 'periodEnd'] as const) {
    if (typeof o[key] === 'string' && (o[key] as string) > '2100-12-31') c.fail(key, `${o[key] as string} is after 2100: check the year`);
  }
  if (typeof o.periodStart === 'string' && typeof o.periodEnd === 'string' && o.periodEnd < o.periodStart) {
    c.fail('periodEnd', `must not be before periodStart (${o.periodStart})`);
  }
  if (typeof o.retention === 'number' && typeof o.aggregateLimit === 'number' && o.aggregateLimit < o.retention) {
    c.fail('aggregateLimit', `is below the retention (${o.retention}): check both amounts`);
  }
}
