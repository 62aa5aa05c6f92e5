import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { RosterPerson } from '../domain/roster/roster';
import { IncidentsService } from '../incidents/incidents.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { PHI_CIPHER, PhiCipher } from './phi-cipher';
import { RosterCorrectionsService } from './roster-corrections.service';
import { RosterFactsService } from './roster-facts.service';
import { ImportRow, RosterImportRepository } from './roster-import.repository';
import { RosterImportService } from './roster-import.service';
import { RosterPersonRepository } from './roster-person.repository';
import { ImportMode, ImportSummary, RosterChange, RosterCounts, personAad } from './roster.types';

export type { ImportMode, ImportSummary, RosterCounts } from './roster.types';

/**
 * The roster of affected individuals: the one door the controllers, the letters and the CLI use.
 * It reads the roster (people opened, a page at a time; counts; imports) and hands changes to the
 * services that make them: imports (roster-import.service), corrections (roster-corrections.service)
 * and the facts the roster gives the plan (roster-facts.service).
 */
@Injectable()
export class RosterService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly incidents: IncidentsService,
    private readonly importer: RosterImportService,
    private readonly corrections: RosterCorrectionsService,
    private readonly facts: RosterFactsService,
    private readonly persons: RosterPersonRepository,
    private readonly imports: RosterImportRepository,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
  ) {}

  aad(incidentId: string, seq: number): string {
    return personAad(incidentId, seq);
  }

  openPerson(incidentId: string, row: { seq: number; sealed: string }): RosterPerson {
    return this.cipher.open<RosterPerson>(row.sealed, this.aad(incidentId, row.seq));
  }

  import(incidentId: string, actor: Actor, input: Readable, mode: ImportMode, onProgress?: (rowsRead: number) => void): Promise<ImportSummary> {
    return this.importer.import(incidentId, actor, input, mode, onProgress);
  }

  refreshFacts(m: EntityManager, incidentId: string, actor: Actor, reason: string): ReturnType<RosterFactsService['refreshFacts']> {
    return this.facts.refreshFacts(m, incidentId, actor, reason);
  }

  counts(m: EntityManager, incidentId: string): Promise<RosterCounts> {
    return this.facts.counts(m, incidentId);
  }

  /** Returned mail for people on the roster (by their person number from the manifest). */
  recordReturnedMail(incidentId: string, actor: Actor, body: unknown): Promise<{ recorded: number } & RosterChange> {
    return this.corrections.recordReturnedMail(incidentId, actor, body);
  }

  /** Takes people off the roster, with a reason; people already notified stay (their letter is proof). */
  removePeople(incidentId: string, actor: Actor, body: unknown): Promise<{ removed: number } & RosterChange> {
    return this.corrections.removePeople(incidentId, actor, body);
  }

  /** Returned mail as a CSV with a `person` column; the date is `returnedOn` from the query. */
  returnedMailFromCsv(incidentId: string, actor: Actor, input: Readable, returnedOn: unknown): Promise<{ recorded: number } & RosterChange> {
    return this.corrections.returnedMailFromCsv(incidentId, actor, input, returnedOn);
  }

  async summary(incidentId: string): Promise<{ roster: RosterCounts; imports: ImportSummary[] }> {
    return this.runner.read(async (m) => {
      await this.incidents.load(m, incidentId);
      const imports = await this.imports.recent(m, incidentId, 20);
      return { roster: await this.facts.counts(m, incidentId), imports: imports.map(importView) };
    });
  }

  async importStatus(incidentId: string, importId: string): Promise<ImportSummary> {
    const row = await this.runner.read((m) => this.imports.get(m, incidentId, importId));
    if (!row) throw new UnprocessableEntityException({ errors: [{ path: 'importId', message: 'no such import for this incident' }] });
    return importView(row);
  }

  /** One person on the roster by their number, opened; null when there is none. */
  async person(incidentId: string, seq: number): Promise<RosterPerson | null> {
    const row = await this.runner.read((m) => this.persons.findActive(m, incidentId, seq));
    return row ? this.openPerson(incidentId, row) : null;
  }

  /**
   * People in roster order, a page at a time (keyset), opened: all of them, or one letter batch's.
   * Inside a unit of work, pass its manager (the runner runs one unit at a time).
   */
  async *people(incidentId: string, batchId?: string, within?: EntityManager, pageSize = 1000): AsyncGenerator<{ seq: number; person: RosterPerson; returnedOn: string | null }[]> {
    let after = 0;
    const run = <T>(work: (m: EntityManager) => Promise<T>) => (within ? work(within) : this.runner.read(work));
    for (;;) {
      const rows = await run((m) => this.persons.page(m, incidentId, after, pageSize, batchId));
      if (!rows.length) return;
      after = rows[rows.length - 1].seq;
      yield rows.map((r) => ({ seq: r.seq, person: this.openPerson(incidentId, r), returnedOn: r.returned_on }));
    }
  }
}

function importView(row: ImportRow): ImportSummary {
  if (row.summary) return JSON.parse(row.summary) as ImportSummary;
  return { importId: row.id, status: row.status, mode: row.mode, rowsRead: row.rows_read, imported: 0, invalidRows: 0, errors: [], duplicates: { count: 0, rows: [] }, message: 'running' };
}
