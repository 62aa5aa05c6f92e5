import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from './http-errors.filter';

interface RouteLayer { route?: { path: string | string[]; methods: Record<string, boolean> } }
interface KnownPath { pattern: RegExp; methods: Set<string> }

/** `/api/incidents/:id/events` as a regular expression over the request path. */
function pattern(path: string): RegExp {
  const body = path.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
  return new RegExp(`^${body}/?$`);
}

/** The routes the application registered (Express paths such as /api/incidents/:id), with their methods. */
export function registeredRoutes(app: INestApplication): { path: string; methods: string[] }[] {
  return [...routeTable(app)].map(([path, methods]) => ({ path, methods: [...methods] }));
}

function routeTable(app: INestApplication): Map<string, Set<string>> {
  const express = app.getHttpAdapter().getInstance() as { router?: { stack: RouteLayer[] }; _router?: { stack: RouteLayer[] } };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const byPath = new Map<string, Set<string>>();
  for (const layer of stack) {
    if (!layer.route) continue;
    for (const path of ([] as string[]).concat(layer.route.path)) {
      const methods = byPath.get(path) ?? new Set<string>();
      for (const [method, on] of Object.entries(layer.route.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
      byPath.set(path, methods);
    }
  }
  return byPath;
}

/** The known paths as patterns, with the methods each answers (HEAD wherever GET is). */
function knownPaths(app: INestApplication): KnownPath[] {
  return [...routeTable(app)].map(([path, answered]) => {
    const methods = new Set(answered);
    if (methods.has('GET')) methods.add('HEAD');
    return { pattern: pattern(path), methods };
  });
}

/**
 * A known path asked with a method it does not answer gets 405 with `Allow`, not 404. The route
 * table is read on the first request (the routes exist once the application is initialised).
 */
export function methodNotAllowed(app: INestApplication): (req: Request, res: Response, next: NextFunction) => void {
  let paths: KnownPath[] | undefined;
  return (req, res, next) => {
    if (req.method === 'OPTIONS') {
      next();
      return;
    }
    paths ??= knownPaths(app);
    const matching = paths.filter((p) => p.pattern.test(req.path));
    if (!matching.length || matching.some((p) => p.methods.has(req.method))) {
      next();
      return;
    }
    const allow = [...new Set(matching.flatMap((p) => [...p.methods]))].sort().join(', ');
    res.setHeader('Allow', allow);
    const message = `${req.method} is not allowed here; this path answers ${allow}`;
    if (req.path.startsWith('/api')) res.status(405).json(errorBody(message));
    else res.status(405).type('text/plain').send(message);
  };
}
