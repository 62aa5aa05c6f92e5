import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './http-errors.filter';

/**
 * Bounds a parsed JSON (or form) body before anything walks it: nesting at most MAX_DEPTH levels,
 * at most MAX_NODES values. Walked with an explicit stack, so the check itself cannot overflow;
 * later code (the idempotency hash, validators, error messages) may then recurse safely.
 * Refused with a 422 naming the field where the body goes too deep.
 */

export const MAX_DEPTH = 32;
export const MAX_NODES = 100_000;

export function jsonBoundsProblem(body: unknown): { path: string; message: string } | null {
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: body, depth: 0, path: '' }];
  let nodes = 0;
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (++nodes > MAX_NODES) return { path: '', message: `the request body holds more than ${MAX_NODES.toLocaleString('en-US')} values` };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { path: shortPath(path), message: `nests deeper than ${MAX_DEPTH} levels` };
    const entries = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x] as const) : Object.entries(v).map(([k, x]) => [path ? `.${k}` : k, x] as const);
    for (const [k, x] of entries) if (x !== null && typeof x === 'object') stack.push({ v: x, depth: depth + 1, path: `${path}${k}` });
    nodes += entries.length;
  }
  return null;
}

/** The first few steps of a path: a deep one would echo the whole body. */
function shortPath(path: string): string {
  return path.length > 80 ? `${path.slice(0, 80)}...` : path;
}

export function jsonBounds(req: Request, res: Response, next: NextFunction): void {
  const problem = req.body === undefined ? null : jsonBoundsProblem(req.body);
  if (problem) {
    res.status(422).json(errorBody(problem.message, problem.path));
    return;
  }
  next();
}
