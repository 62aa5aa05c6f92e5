import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './http-errors.filter';

/**
 * Bounds a parsed JSON (or form) body before anything walks it: nesting at most MAX_DEPTH levels,
 * at most MAX_NODES values. Walked with an explicit stack, so the check itself cannot overflow;
 * later code (the idempotency hash, validators, error messages) may then recurse safely.
 * Refused with a 422 naming the field where the body goes too deep. A NUL character (U+0000) is
 * refused in a parsed body (JSON, a form), the query and the path alike: no field means one, and
 * PostgreSQL refuses to store or compare text holding it. Streamed bodies (CSV, uploads, multipart
 * forms) are read by their routes, which check what they read.
 */

export const MAX_DEPTH = 32;
export const MAX_NODES = 100_000;

export function jsonBoundsProblem(body: unknown): { path: string; message: string } | null {
  if (typeof body === 'string' && body.includes(NUL)) return nulProblem('');
  const stack: { v: unknown; depth: number; path: string }[] = [{ v: body, depth: 0, path: '' }];
  let nodes = 0;
  while (stack.length) {
    const { v, depth, path } = stack.pop()!;
    if (++nodes > MAX_NODES) return { path: '', message: `the request body holds more than ${MAX_NODES.toLocaleString('en-US')} values` };
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_DEPTH) return { path: shortPath(path), message: `nests deeper than ${MAX_DEPTH} levels` };
    const entries = Array.isArray(v) ? v.map((x, i) => [`[${i}]`, x] as const) : Object.entries(v).map(([k, x]) => [path ? `.${k}` : k, x] as const);
    for (const [k, x] of entries) {
      if (k.includes(NUL) || (typeof x === 'string' && x.includes(NUL))) return nulProblem(`${path}${k}`);
      if (x !== null && typeof x === 'object') stack.push({ v: x, depth: depth + 1, path: `${path}${k}` });
    }
    nodes += entries.length;
  }
  return null;
}

const NUL = '\u0000';

function nulProblem(path: string): { path: string; message: string } {
  return { path: shortPath(path.replace(/\u0000/g, '\\u0000')), message: 'holds a NUL character (U+0000), which no field may hold' };
}

/** A NUL in the query (its name or value) or in the path (`%00`), else null. */
function urlProblem(req: Request): { path: string; message: string } | null {
  if (/%00/.test(req.path)) return { path: 'path', message: 'holds a NUL character (%00), which no part of a path may hold' };
  for (const [k, v] of Object.entries(req.query ?? {})) {
    const values: unknown[] = Array.isArray(v) ? v : [v];
    if (k.includes(NUL) || values.some((x) => typeof x === 'string' && x.includes(NUL))) return nulProblem(k);
  }
  return null;
}

/** The first few steps of a path: a deep one would echo the whole body. */
function shortPath(path: string): string {
  return path.length > 80 ? `${path.slice(0, 80)}...` : path;
}

export function jsonBounds(req: Request, res: Response, next: NextFunction): void {
  // A web form posted with no body, or with a type no parser reads: the pages read fields of an empty form.
  if (req.body === undefined && !req.path.startsWith('/api/')) req.body = {};
  const problem = urlProblem(req) ?? (req.body === undefined ? null : jsonBoundsProblem(req.body));
  if (problem) {
    res.status(422).json(errorBody(problem.message, problem.path));
    return;
  }
  next();
}
