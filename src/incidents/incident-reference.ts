import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { TransactionRunner } from '../persistence/transaction-runner';
import { IncidentRepository } from './incident.repository';

/** An incident's reference as the API accepts it in place of its id: BF-2026-0001. */
/** A well-formed incident id that no incident has (ids are random UUIDs). */
const NO_INCIDENT = '00000000-0000-4000-8000-000000000000';

export const REFERENCE_IN_PATH = /^\/api\/incidents\/(BF-\d{4}-\d{4,})(?=\/|\?|$)/;

/**
 * Lets every incident operation address the incident by its reference as well as its id: the
 * reference in the path is replaced by the id before routing, so the controllers (incidents,
 * roster, letters) keep taking UUIDs. An unknown reference is a 404, after the login check.
 */
export function resolveIncidentReferences(app: INestApplication): (req: Request, res: Response, next: NextFunction) => void {
  let deps: { repo: IncidentRepository; runner: TransactionRunner } | undefined;
  return (req, _res, next) => {
    const m = REFERENCE_IN_PATH.exec(req.url);
    if (!m) {
      next();
      return;
    }
    deps ??= { repo: app.get(IncidentRepository), runner: app.get(TransactionRunner) };
    const { repo, runner } = deps;
    runner.read((em) => repo.idOfReference(em, m[1])).then((id) => {
      // An unknown reference goes on as an id no incident has: the guard still asks for a login
      // first (401), and the operation answers its own 404.
      req.url = `/api/incidents/${id ?? NO_INCIDENT}${req.url.slice(m[0].length)}`;
      next();
    }, next);
  };
}
