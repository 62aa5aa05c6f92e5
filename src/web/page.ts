import type { Response } from 'express';
import { hasRole, WithActor } from '../auth/actor';
import { IncidentNav, Views } from './views';

/** Sends one page inside the app's layout, never cached (pages can show PHI). */
export function sendPage(views: Views, res: Response, req: WithActor, page: string, title: string, model: Record<string, unknown>, status = 200, nav?: IncidentNav): void {
  res.status(status).type('html').setHeader('Cache-Control', 'no-store');
  res.send(views.render(page, model, { actor: req.actor, csrf: req.csrf, title, nav }));
}

/** The privacy officer acts; everyone else who may open the page reads it. */
export function canAct(req: WithActor): boolean {
  return hasRole(req.actor, 'privacy_officer');
}

/** "3, 7 12" as [3, 7, 12]; anything else is passed on for the service to name. */
export function personNumbers(text: unknown): unknown {
  if (typeof text !== 'string') return text;
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  return parts.every((p) => /^\d+$/.test(p)) ? parts.map(Number) : parts;
}

export function formText(body: Record<string, unknown>, key: string): string {
  return typeof body[key] === 'string' ? (body[key] as string).trim() : '';
}
