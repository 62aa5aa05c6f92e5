import { ConflictException, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { Lease, LeaseLost, LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { clientErrors } from '../http-errors.filter';
import { PHI_CIPHER, PhiCipher } from './phi-cipher';
import { RosterFactsService } from './roster-facts.service';
import { RosterImportRepository } from './roster-import.repository';
import { RosterPersonRepository } from './roster-person.repository';
import { RosterFileError, stageRoster } from './roster-staging';
import { ImportMode, ImportSummary, MAX_LISTED } from './roster.types';

/**
 * A roster import. It streams the CSV (memory stays flat), stages the rows sealed in batches so
 * other work keeps flowing, then in one transaction drops duplicates, activates the rows, and puts
 * the roster's counts into the incident's facts through the one dispatch path (so the plan is
 * re-run and the change is audited). A rejected or failed import removes what it staged: nothing
 * changes. The import holds a lease; an expired one is failed by whichever process finds it.
 */
@Injectable()
export class RosterImportService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly facts: RosterFactsService,
    private readonly leases: LeaseService,
    private readonly people: RosterPersonRepository,
    private readonly imports: RosterImportRepository,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // An import whose process stopped renewing its lease imported nothing: drop what it staged.
    // Only that import's rows: another import, live in another process, is left alone.
    leases.onExpired('roster_import', async (m, importId) => {
      await this.people.deleteStaged(m, importId);
      const row = await this.imports.running(m, importId);
      if (!row) return;
      const summary: ImportSummary = {
        importId, status: 'failed', mode: row.mode, rowsRead: row.rows_read, imported: 0, invalidRows: 0, duplicates: { count: 0, rows: [] },
        errors: [{ path: 'import', message: 'its process stopped before the import finished (a crash or a restart)' }],
        message: 'The import did not complete; nothing was imported. Upload the file again.',
      };
      await this.saveSummary(m, importId, summary);
    });
  }

  async import(incidentId: string, actor: Actor, input: Readable, mode: ImportMode, onProgress?: (rowsRead: number) => void): Promise<ImportSummary> {
    const importId = randomUUID();
    // An import whose process died holds its incident until its lease expires: repair it first.
    await this.leases.recoverExpired();
    let token = '';
    const firstSeq = await this.runner.transaction(async (m) => {
      // Two instances starting an import for one incident take turns (the check locks the incident's
      // row): the second sees the first running.
      await this.facts.assertCanChangeFacts(m, incidentId);
      const running = await this.imports.runningFor(m, incidentId);
      if (running) throw new ConflictException({ errors: [{ path: 'roster', message: `an import is already running for this incident (${running}); wait for it to finish` }] });
      await this.imports.insertRunning(m, { id: importId, incidentId, mode, actor: actor.id, startedAt: this.clock.now().toISOString() });
      token = await this.leases.acquire(m, 'roster_import', importId);
      return this.people.nextSeq(m, incidentId);
    });

    const summary: ImportSummary = {
      importId, status: 'running', mode, rowsRead: 0, imported: 0, invalidRows: 0, errors: [], duplicates: { count: 0, rows: [] }, message: '',
    };
    const lease = this.leases.hold('roster_import', importId, token);
    try {
      return await this.importStaged(incidentId, importId, firstSeq, actor, input, mode, summary, lease, onProgress);
    } finally {
      lease.stop();
    }
  }

  private async importStaged(incidentId: string, importId: string, firstSeq: number, actor: Actor, input: Readable, mode: ImportMode,
    summary: ImportSummary, lease: Lease, onProgress?: (rowsRead: number) => void): Promise<ImportSummary> {
    try {
      await stageRoster({ runner: this.runner, people: this.people, imports: this.imports, cipher: this.cipher },
        { incidentId, importId, firstSeq, input, summary, lease, onProgress });
    } catch (e) {
      return this.abandon(importId, summary, e, lease);
    }
    if (summary.invalidRows > 0 && mode === 'reject') {
      summary.message = `${summary.invalidRows} of ${summary.rowsRead} rows have errors; nothing was imported. Fix them, or import with onInvalid=skip to take the valid rows.`;
      return this.finish(importId, summary, 'rejected', lease);
    }
    try {
      return await this.runner.transaction((m) => this.activate(m, incidentId, importId, actor, summary, lease));
    } catch (e) {
      return this.abandon(importId, summary, e, lease);
    }
  }

  /** The import's one transaction: duplicates out, staged rows active, the facts and the trail told. */
  private async activate(m: EntityManager, incidentId: string, importId: string, actor: Actor, summary: ImportSummary, lease: Lease): Promise<ImportSummary> {
    await lease.release(m);
    await this.dropDuplicates(m, incidentId, importId, summary);
    await this.people.activate(m, importId);
    const n = await this.people.countActiveOfImport(m, importId);
    // Every row read is accounted for: imported, a duplicate left out, or invalid and skipped.
    if (n + summary.duplicates.count + summary.invalidRows !== summary.rowsRead) {
      throw new StagedRowsLost(summary.rowsRead, n + summary.duplicates.count + summary.invalidRows);
    }
    summary.imported = n;
    const skipped = summary.invalidRows ? `; ${summary.invalidRows} invalid rows skipped` : '';
    const dups = summary.duplicates.count ? `; ${summary.duplicates.count} duplicates left out` : '';
    const reason = `Roster import: ${n} people added${dups}${skipped}`;
    const { counts, changed, removedObligations } = await this.facts.refreshFacts(m, incidentId, actor, reason);
    summary.roster = counts;
    summary.factsChanged = changed;
    if (removedObligations) summary.removedObligations = removedObligations;
    summary.status = 'done';
    summary.message = `${reason}. The roster now lists ${counts.people} people; ${counts.insufficientContact} cannot be reached by mail or email.`;
    await appendIncidentNote(m, {
      incidentId, type: 'roster.imported', actor: actor.id, at: this.clock.now().toISOString(),
      payload: { importId, rowsRead: summary.rowsRead, imported: n, invalidRows: summary.invalidRows, duplicates: summary.duplicates.count, roster: counts },
    });
    await this.saveSummary(m, importId, summary);
    return summary;
  }

  /**
   * A staged row is a duplicate of an earlier row of the same file, or of someone already on the
   * roster: the first MAX_LISTED are named, all are counted and dropped.
   */
  private async dropDuplicates(m: EntityManager, incidentId: string, importId: string, summary: ImportSummary): Promise<void> {
    const { rows, count } = await this.people.duplicates(m, incidentId, importId, MAX_LISTED);
    summary.duplicates = { count, rows: rows.map((r) => ({ row: r.row_no, duplicateOf: r.dup_of })) };
    if (count) await this.people.deleteDuplicates(m, incidentId, importId);
  }

  private async abandon(importId: string, summary: ImportSummary, e: unknown, lease: Lease): Promise<ImportSummary> {
    if (e instanceof LeaseLost) throw e; // the process that took it over has failed it already
    if (e instanceof RosterFileError) {
      summary.errors = e.errors;
      summary.message = 'The file cannot be read as a roster; nothing was imported.';
      return this.finish(importId, summary, 'rejected', lease);
    }
    const status = e instanceof ConflictException || e instanceof UnprocessableEntityException ? 'rejected' : 'failed';
    summary.errors = clientErrors(e) ?? [{ path: 'import', message: e instanceof StagedRowsLost ? e.message : 'failed inside the server; see its log' }];
    summary.message = 'The import did not complete; nothing was imported.';
    await this.finish(importId, summary, status, lease);
    throw e;
  }

  private async finish(importId: string, summary: ImportSummary, status: ImportSummary['status'], lease: Lease): Promise<ImportSummary> {
    summary.status = status;
    await this.runner.transaction(async (m) => {
      await lease.release(m);
      await this.people.deleteStaged(m, importId);
      await this.saveSummary(m, importId, summary);
    });
    return summary;
  }

  private saveSummary(m: EntityManager, importId: string, summary: ImportSummary): Promise<void> {
    return this.imports.saveSummary(m, importId, summary, this.clock.now().toISOString());
  }
}

/** Fewer rows would be activated than were read: the import fails loudly instead of answering "done". */
class StagedRowsLost extends Error {
  constructor(readonly read: number, readonly accounted: number) {
    super(`${read} rows were read but only ${accounted} are accounted for (imported, duplicate or skipped); nothing was imported`);
  }
}
