import { parse, CsvError } from 'csv-parse';
import type { Readable } from 'node:stream';
import { checkRosterHeader, identityBasis, normalizeColumn, parseRosterRow, RosterColumn } from '../domain/roster/roster';
import { FieldError } from '../domain/validation';
import { Lease } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { PhiCipher } from './phi-cipher';
import { RosterImportRepository } from './roster-import.repository';
import { RosterPersonRepository, StagedPerson } from './roster-person.repository';
import { ImportSummary, MAX_LISTED, personAad } from './roster.types';

/** Rows are staged this many to a unit of work, so other work keeps flowing during a long import. */
const BATCH = 500;

export interface StagingDeps {
  runner: TransactionRunner;
  people: RosterPersonRepository;
  imports: RosterImportRepository;
  cipher: PhiCipher;
}

export interface StagingJob {
  incidentId: string;
  importId: string;
  firstSeq: number;
  input: Readable;
  /** Counts rows read and invalid, and collects the first MAX_LISTED problems. */
  summary: ImportSummary;
  lease: Lease;
  onProgress?: (rowsRead: number) => void;
}

/** The file as a whole cannot be read as a roster (header, CSV syntax, no rows). */
export class RosterFileError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
}

class HeaderError extends Error {}

/** Streams, validates and seals the rows, BATCH at a time, as staged (inactive) rows; each batch checks the lease is still held. */
export async function stageRoster(deps: StagingDeps, job: StagingJob): Promise<void> {
  const { incidentId, importId, summary, lease } = job;
  const headerErrors: FieldError[] = [];
  const parser = rosterParser(job.input, headerErrors);
  let batch: StagedPerson[] = [];
  let seq = job.firstSeq;
  const flush = async () => {
    if (!batch.length) return;
    const rows = batch;
    batch = [];
    const read = summary.rowsRead;
    await deps.runner.transaction(async (m) => {
      await lease.assertHeld(m);
      await deps.people.insertStaged(m, rows);
      await deps.imports.setRowsRead(m, importId, read);
    });
    job.onProgress?.(read);
  };
  try {
    for await (const record of parser) {
      summary.rowsRead++;
      const rowNo = summary.rowsRead + 1; // the header is row 1
      const parsed = parseRosterRow(record as Partial<Record<RosterColumn, string>>, rowNo);
      if ('errors' in parsed) {
        summary.invalidRows++;
        for (const e of parsed.errors) if (summary.errors.length < MAX_LISTED) summary.errors.push(e);
        continue;
      }
      const p = parsed.person;
      batch.push({
        incidentId, seq, importId, rowNo, identity: deps.cipher.identity(`${incidentId}|${identityBasis(p)}`), residentState: p.residentState, status: p.status,
        hasAddress: Boolean(p.address), emailOk: Boolean(p.email && p.emailConsent), sealed: deps.cipher.seal(p, personAad(incidentId, seq)),
      });
      seq++;
      if (batch.length >= BATCH) await flush();
    }
    await flush();
  } catch (e) {
    throw fileError(e, headerErrors);
  }
  if (summary.rowsRead === 0) throw new RosterFileError([{ path: 'file', message: 'has no data rows after the header' }]);
}

/** The longest CSV record read (characters): a roster's line is a few hundred. */
export const MAX_CSV_RECORD = 64 * 1024;

/** The CSV's records, its header checked first (the header's problems go into `headerErrors`). */
function rosterParser(input: Readable, headerErrors: FieldError[]): AsyncIterable<Record<string, string> | string[]> {
  const parser = input.pipe(parse({
    bom: true,
    skip_empty_lines: true,
    relax_column_count: true,
    // A line is bounded before it is held whole: a file with no line breaks is refused, not buffered.
    max_record_size: MAX_CSV_RECORD,
    columns: (header: string[]) => {
      headerErrors.push(...checkRosterHeader(header));
      if (headerErrors.length) throw new HeaderError();
      return header.map(normalizeColumn);
    },
  }));
  input.on('error', (e) => parser.destroy(e));
  return parser;
}

/** What a failure while reading the file says: the header's problems, where the CSV broke, or the error itself. */
function fileError(e: unknown, headerErrors: FieldError[]): unknown {
  if (e instanceof HeaderError || (e instanceof CsvError && headerErrors.length)) return new RosterFileError(headerErrors);
  if (e instanceof CsvError) {
    // csv-parse's messages can quote the offending field: keep only where it happened.
    const where = (e as CsvError & { lines?: number }).lines;
    return new RosterFileError([{ path: where ? `line ${where}` : 'file', message: `not a readable CSV file (${e.code})` }]);
  }
  return e;
}
