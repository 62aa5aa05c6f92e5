import { RemovedObligation } from '../domain/lifecycle/incident.types';
import { FieldError } from '../domain/validation';

export type ImportMode = 'reject' | 'skip';

/** What the roster says, in counts only: safe to show, log and audit. */
export interface RosterCounts {
  people: number;
  byJurisdiction: Record<string, number>;
  byDelivery: { mail: number; email: number; none: number };
  insufficientContact: number;
  /** Deceased people whose next of kin cannot be reached: no substitute notice needed (164.404(d)(2)). */
  deceasedUnreachable: number;
  returnedMail: number;
}

export interface ImportSummary {
  importId: string;
  status: 'running' | 'done' | 'rejected' | 'failed';
  mode: ImportMode;
  rowsRead: number;
  imported: number;
  invalidRows: number;
  /** The first MAX_LISTED problems, each naming the row and column (never a value). */
  errors: FieldError[];
  duplicates: { count: number; rows: { row: number; duplicateOf: string }[] };
  roster?: RosterCounts;
  factsChanged?: boolean;
  /** Obligations the new counts took off the plan. */
  removedObligations?: RemovedObligation[];
  message: string;
}

/** What a change of the roster answers: the new counts, and what they changed in the plan. */
export interface RosterChange {
  roster: RosterCounts;
  factsChanged: boolean;
  removedObligations?: RemovedObligation[];
}

/** At most this many problems (or duplicates) are listed; the counts stay exact. */
export const MAX_LISTED = 1000;

/** The additional data a person's sealed record is bound to: it opens only as this incident's person `seq`. */
export function personAad(incidentId: string, seq: number): string {
  return `roster/${incidentId}/${seq}`;
}
