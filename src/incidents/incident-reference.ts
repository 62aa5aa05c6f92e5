import { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { errorBody } from '../http-errors.filter';
import { TransactionRunner } from '../persistence/transaction-runner';
import { IncidentRepository } from './incident.repository';

/** An incident's reference as the API accepts it in place of its id: BF-2026-0001. */
export const REFERENCE_IN_PATH = /^\/api\/incidents\/(BF-\d{4}-\d{4,})(?=\/|\?|$)/;

/**
 * Lets every incident operation address the incident by its reference as well as its id: the
 * reference in the path is replaced by the id before routing, so the controllers (incidents,
 * roster, letters) keep taking UUIDs. An unknown reference is a 404.
 */
export function resolveIncidentReferences(app: INestApplication): (req: Request, res: Response, next: NextFunction) => void {
  let deps: { repo: IncidentRepository; runner: TransactionRunner } | undefined;
  return (req, res, next) => {
    const m = REFERENCE_IN_PATH.exec(req.url);
    if (!m) {
      next();
      return;
    }
    deps ??= { repo: app.get(IncidentRepository), runner: app.get(TransactionRunner) };
    const { repo, runner } = deps;
    runner.read((em) => repo.idOfReference(em, m[1])).then((id) => {
      if (!id) {
        res.status(404).json(errorBody(`no incident with the reference ${m[1]}`, 'id'));
        return;
      }
      req.url = `/api/incidents/${id}${req.url.slice(m[0].length)}`;
      next();
    }, next);
  };
}
