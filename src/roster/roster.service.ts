import { RemovedObligation } from '../domain/lifecycle/incident.types';
import { ConflictException, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { parse, CsvError } from 'csv-parse';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { acceptedEvents, isOpen } from '../domain/lifecycle/incident-snapshot';
import { IncidentFacts } from '../domain/rules/facts';
import { isLocalDate, LocalDate } from '../domain/rules/calendar';
import {
  checkRosterHeader, identityBasis, normalizeColumn, parseRosterRow, RosterColumn, RosterPerson,
} from '../domain/roster/roster';
import { Checker, FieldError } from '../domain/validation';
import { IncidentsService } from '../incidents/incidents.service';
import { Lease, LeaseLost, LeaseService } from '../jobs/lease.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { clientErrors } from '../http-errors.filter';
import { PHI_CIPHER, PhiCipher } from './phi-cipher';

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

const BATCH = 500;
const MAX_LISTED = 1000;

/** Rows as stored: the sealed person, and the few clear columns the counts need. */
interface StoredPerson {
  seq: number;
  returned_on: string | null;
  sealed: string;
}

const INSUFFICIENT_SQL = `"status" != 'deceased' AND "email_ok" = 0 AND ("has_address" = 0 OR "returned_on" IS NOT NULL)`;

/**
 * The roster of affected individuals. An import streams the CSV (memory stays flat), stages the
 * rows sealed in batches so other work keeps flowing, then in one transaction drops duplicates,
 * activates the rows, and puts the roster's counts into the incident's facts through the one
 * dispatch path (so the plan is re-run and the change is audited). A rejected or failed import
 * removes what it staged: nothing changes.
 */
@Injectable()
export class RosterService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly incidents: IncidentsService,
    private readonly leases: LeaseService,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // An import whose process stopped renewing its lease imported nothing: drop what it staged.
    // Only that import's rows: another import, live in another process, is left alone.
    leases.onExpired('roster_import', async (m, importId) => {
      await m.query('DELETE FROM "roster_person" WHERE "import_id" = ? AND "active" = 0', [importId]);
      const [row]: { summary: string | null; rows_read: number; mode: ImportMode }[] = await m.query(
        `SELECT "summary", "rows_read", "mode" FROM "roster_import" WHERE "id" = ? AND "status" = 'running'`, [importId]);
      if (!row) return;
      const summary: ImportSummary = {
        importId, status: 'failed', mode: row.mode, rowsRead: row.rows_read, imported: 0, invalidRows: 0, duplicates: { count: 0, rows: [] },
        errors: [{ path: 'import', message: 'its process stopped before the import finished (a crash or a restart)' }],
        message: 'The import did not complete; nothing was imported. Upload the file again.',
      };
      await this.saveSummary(m, importId, summary);
    });
  }

  aad(incidentId: string, seq: number): string {
    return `roster/${incidentId}/${seq}`;
  }

  openPerson(incidentId: string, row: { seq: number; sealed: string }): RosterPerson {
    return this.cipher.open<RosterPerson>(row.sealed, this.aad(incidentId, row.seq));
  }

  async import(incidentId: string, actor: Actor, input: Readable, mode: ImportMode, onProgress?: (rowsRead: number) => void): Promise<ImportSummary> {
    const importId = randomUUID();
    // An import whose process died holds its incident until its lease expires: repair it first.
    await this.leases.recoverExpired();
    let token = '';
    const firstSeq = await this.runner.transaction(async (m) => {
      await this.assertCanChangeFacts(m, incidentId);
      const [running]: { id: string }[] = await m.query(`SELECT "id" FROM "roster_import" WHERE "incident_id" = ? AND "status" = 'running'`, [incidentId]);
      if (running) throw new ConflictException({ errors: [{ path: 'roster', message: `an import is already running for this incident (${running.id}); wait for it to finish` }] });
      await m.query(`INSERT INTO "roster_import" ("id", "incident_id", "status", "mode", "actor", "started_at") VALUES (?, ?, 'running', ?, ?, ?)`,
        [importId, incidentId, mode, actor.id, this.clock.now().toISOString()]);
      token = await this.leases.acquire(m, 'roster_import', importId);
      const [{ next }]: { next: number }[] = await m.query('SELECT COALESCE(MAX("seq"), 0) + 1 AS "next" FROM "roster_person" WHERE "incident_id" = ?', [incidentId]);
      return next;
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
      await this.stage(incidentId, importId, firstSeq, input, summary, lease, onProgress);
    } catch (e) {
      return this.abandon(importId, summary, e, lease);
    }
    if (summary.invalidRows > 0 && mode === 'reject') {
      summary.message = `${summary.invalidRows} of ${summary.rowsRead} rows have errors; nothing was imported. Fix them, or import with onInvalid=skip to take the valid rows.`;
      return this.finish(importId, summary, 'rejected', lease);
    }
    try {
      return await this.runner.transaction(async (m) => {
        await lease.release(m);
        await this.dropDuplicates(m, incidentId, importId, summary);
        await m.query('UPDATE "roster_person" SET "active" = 1 WHERE "import_id" = ?', [importId]);
        const [{ n }]: { n: number }[] = await m.query('SELECT COUNT(*) AS "n" FROM "roster_person" WHERE "import_id" = ? AND "active" = 1', [importId]);
        // Every row read is accounted for: imported, a duplicate left out, or invalid and skipped.
        if (n + summary.duplicates.count + summary.invalidRows !== summary.rowsRead) {
          throw new StagedRowsLost(summary.rowsRead, n + summary.duplicates.count + summary.invalidRows);
        }
        summary.imported = n;
        const skipped = summary.invalidRows ? `; ${summary.invalidRows} invalid rows skipped` : '';
        const dups = summary.duplicates.count ? `; ${summary.duplicates.count} duplicates left out` : '';
        const reason = `Roster import: ${n} people added${dups}${skipped}`;
        const { counts, changed, removedObligations } = await this.refreshFacts(m, incidentId, actor, reason);
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
      });
    } catch (e) {
      return this.abandon(importId, summary, e, lease);
    }
  }

  /** Streams, validates and seals the rows, BATCH at a time, as staged (inactive) rows. */
  private async stage(incidentId: string, importId: string, firstSeq: number, input: Readable, summary: ImportSummary, lease: Lease, onProgress?: (n: number) => void): Promise<void> {
    const headerErrors: FieldError[] = [];
    const parser = input.pipe(parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      columns: (header: string[]) => {
        headerErrors.push(...checkRosterHeader(header));
        if (headerErrors.length) throw new HeaderError();
        return header.map(normalizeColumn);
      },
    }));
    input.on('error', (e) => parser.destroy(e));
    let batch: unknown[][] = [];
    let seq = firstSeq;
    const flush = async () => {
      if (!batch.length) return;
      const rows = batch;
      batch = [];
      const read = summary.rowsRead;
      await this.runner.transaction(async (m) => {
        await lease.assertHeld(m);
        await m.query(
          `INSERT INTO "roster_person" ("incident_id", "seq", "import_id", "row_no", "active", "identity", "resident_state", "status", "has_address", "email_ok", "sealed")
           VALUES ${rows.map(() => '(?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?)').join(', ')}`, rows.flat());
        await m.query('UPDATE "roster_import" SET "rows_read" = ? WHERE "id" = ?', [read, importId]);
      });
      onProgress?.(read);
    };
    try {
      for await (const record of parser as AsyncIterable<Record<string, string> | string[]>) {
        summary.rowsRead++;
        const rowNo = summary.rowsRead + 1; // the header is row 1
        const parsed = parseRosterRow(record as Partial<Record<RosterColumn, string>>, rowNo);
        if ('errors' in parsed) {
          summary.invalidRows++;
          for (const e of parsed.errors) if (summary.errors.length < MAX_LISTED) summary.errors.push(e);
          continue;
        }
        const p = parsed.person;
        batch.push([incidentId, seq, importId, rowNo, this.cipher.identity(`${incidentId}|${identityBasis(p)}`), p.residentState, p.status,
          p.address ? 1 : 0, p.email && p.emailConsent ? 1 : 0, this.cipher.seal(p, this.aad(incidentId, seq))]);
        seq++;
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    } catch (e) {
      if (e instanceof HeaderError || (e instanceof CsvError && headerErrors.length)) throw new RosterFileError(headerErrors);
      if (e instanceof CsvError) {
        // csv-parse's messages can quote the offending field: keep only where it happened.
        const where = (e as CsvError & { lines?: number }).lines;
        throw new RosterFileError([{ path: where ? `line ${where}` : 'file', message: `not a readable CSV file (${e.code})` }]);
      }
      throw e;
    }
    if (summary.rowsRead === 0) throw new RosterFileError([{ path: 'file', message: 'has no data rows after the header' }]);
  }

  /**
   * A staged row is a duplicate of an earlier row of the same file, or of someone already on the
   * roster. One pass with a window over the identity (sorted once), not a lookup per row.
   */
  private async dropDuplicates(m: EntityManager, incidentId: string, importId: string, summary: ImportSummary): Promise<void> {
    const dups = `SELECT "seq", "row_no", "dup_of" FROM (
        SELECT s."seq", s."row_no",
          CASE WHEN ex."seq" IS NOT NULL THEN 'person ' || ex."seq" || ', already on the roster'
               WHEN ROW_NUMBER() OVER w > 1 THEN 'row ' || FIRST_VALUE(s."row_no") OVER w END AS "dup_of"
        FROM "roster_person" s
        LEFT JOIN (SELECT "identity", MIN("seq") AS "seq" FROM "roster_person" WHERE "incident_id" = ? AND "active" = 1 GROUP BY "identity") ex ON ex."identity" = s."identity"
        WHERE s."import_id" = ?
        WINDOW w AS (PARTITION BY s."identity" ORDER BY s."row_no")
      ) WHERE "dup_of" IS NOT NULL`;
    const params = [incidentId, importId];
    const rows: { row_no: number; dup_of: string }[] = await m.query(`${dups} ORDER BY "row_no" LIMIT ${MAX_LISTED}`, params);
    const [{ n }]: { n: number }[] = await m.query(`SELECT COUNT(*) AS "n" FROM (${dups})`, params);
    summary.duplicates = { count: n, rows: rows.map((r) => ({ row: r.row_no, duplicateOf: r.dup_of })) };
    if (n) await m.query(`DELETE FROM "roster_person" WHERE "incident_id" = ? AND "seq" IN (SELECT "seq" FROM (${dups}))`, [incidentId, ...params]);
  }

  /**
   * Puts the roster's counts into the facts: residents per state, who cannot be reached, and a
   * total no smaller than the roster (an estimate above it stays). Changes go through the one
   * dispatch path as facts.updated, so the plan is re-run and the reason audited.
   */
  async refreshFacts(m: EntityManager, incidentId: string, actor: Actor, reason: string): Promise<{ counts: RosterCounts; changed: boolean; removedObligations?: RemovedObligation[] }> {
    const counts = await this.counts(m, incidentId);
    const { snapshot } = await this.incidents.load(m, incidentId);
    const affected = snapshot.context.facts.affected;
    const next: IncidentFacts['affected'] = {
      total: Math.max(affected.total, counts.people),
      byJurisdiction: counts.byJurisdiction,
      insufficientContact: counts.insufficientContact,
    };
    const same = next.total === affected.total && (affected.insufficientContact ?? 0) === next.insufficientContact
      && JSON.stringify(sorted(affected.byJurisdiction ?? {})) === JSON.stringify(sorted(next.byJurisdiction ?? {}));
    if (same) return { counts, changed: false };
    const view = await this.incidents.dispatchIn(m, incidentId, actor, { type: 'facts.updated', changes: { affected: next }, reason });
    // What the new counts took off the plan is shown to whoever made the change (issue 10).
    return { counts, changed: true, ...(view.removedByLastChange.length ? { removedObligations: view.removedByLastChange } : {}) };
  }

  async counts(m: EntityManager, incidentId: string): Promise<RosterCounts> {
    const rows: { resident_state: string; n: number; mail: number; email: number; insufficient: number; deceased_unreachable: number; returned: number }[] = await m.query(
      `SELECT "resident_state", COUNT(*) AS "n",
         SUM(CASE WHEN "email_ok" = 1 THEN 1 ELSE 0 END) AS "email",
         SUM(CASE WHEN "email_ok" = 0 AND "has_address" = 1 AND "returned_on" IS NULL THEN 1 ELSE 0 END) AS "mail",
         SUM(CASE WHEN ${INSUFFICIENT_SQL} THEN 1 ELSE 0 END) AS "insufficient",
         SUM(CASE WHEN "status" = 'deceased' AND "email_ok" = 0 AND ("has_address" = 0 OR "returned_on" IS NOT NULL) THEN 1 ELSE 0 END) AS "deceased_unreachable",
         SUM(CASE WHEN "returned_on" IS NOT NULL THEN 1 ELSE 0 END) AS "returned"
       FROM "roster_person" WHERE "incident_id" = ? AND "active" = 1 GROUP BY "resident_state" ORDER BY "resident_state"`, [incidentId]);
    const sum = (k: 'n' | 'mail' | 'email' | 'insufficient' | 'deceased_unreachable' | 'returned') => rows.reduce((a, r) => a + Number(r[k]), 0);
    return {
      people: sum('n'),
      byJurisdiction: Object.fromEntries(rows.map((r) => [r.resident_state, Number(r.n)])),
      byDelivery: { mail: sum('mail'), email: sum('email'), none: sum('insufficient') + sum('deceased_unreachable') },
      insufficientContact: sum('insufficient'),
      deceasedUnreachable: sum('deceased_unreachable'),
      returnedMail: sum('returned'),
    };
  }

  /** Returned mail for people on the roster (by their person number from the manifest). */
  async recordReturnedMail(incidentId: string, actor: Actor, body: unknown): Promise<{ recorded: number; roster: RosterCounts; factsChanged: boolean; removedObligations?: RemovedObligation[] }> {
    const c = new Checker();
    const o = c.object(body, '', ['returnedOn', 'people']);
    const returnedOn = o?.returnedOn;
    if (o && !isLocalDate(returnedOn)) c.fail('returnedOn', `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(returnedOn)}`);
    const people = o && checkPeople(c, o.people);
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    const refs = [...new Set(people!)];
    return this.runner.transaction(async (m) => {
      await this.assertCanChangeFacts(m, incidentId);
      const found = await this.findPeople(m, incidentId, refs);
      const at = firstIndex(people!);
      const missing = refs.filter((ref) => !found.has(ref)).map((ref) => notOnRoster(at, ref));
      // Mail cannot come back before it went out.
      const early = refs.filter((ref) => (found.get(ref) ?? '') > (returnedOn as LocalDate))
        .map((ref) => ({ path: `people[${at.get(ref) ?? 0}]`, message: `person ${ref} was mailed on ${found.get(ref)}; returnedOn (${returnedOn as string}) is before the mailing` }));
      if (missing.length || early.length) throw new UnprocessableEntityException({ errors: [...missing, ...early].slice(0, MAX_LISTED) });
      await inSlices(refs, (slice, marks) => m.query(`UPDATE "roster_person" SET "returned_on" = ? WHERE "incident_id" = ? AND "seq" IN (${marks})`,
        [returnedOn as LocalDate, incidentId, ...slice]));
      const { counts, changed, removedObligations } = await this.refreshFacts(m, incidentId, actor, `Returned mail recorded for ${refs.length} ${refs.length === 1 ? 'person' : 'people'}`);
      await appendIncidentNote(m, {
        incidentId, type: 'roster.mailReturned', actor: actor.id, at: this.clock.now().toISOString(),
        payload: { returnedOn, people: refs.length, insufficientContact: counts.insufficientContact },
      });
      return { recorded: refs.length, roster: counts, factsChanged: changed, ...(removedObligations ? { removedObligations } : {}) };
    });
  }

  /**
   * Takes people off the roster (a wrong upload, someone not affected after all), with a reason for
   * the audit trail. People whose notice was already sent stay: their letter is part of the proof.
   * The counts follow; the total stays (an estimate can be larger than the roster): lower it with
   * facts.updated if it was wrong.
   */
  async removePeople(incidentId: string, actor: Actor, body: unknown): Promise<{ removed: number; roster: RosterCounts; factsChanged: boolean; removedObligations?: RemovedObligation[] }> {
    const c = new Checker();
    const o = c.object(body, '', ['people', 'reason']);
    const people = o && checkPeople(c, o.people);
    const reason = o && c.string(o.reason, 'reason');
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    const refs = [...new Set(people!)];
    return this.runner.transaction(async (m) => {
      await this.assertCanChangeFacts(m, incidentId);
      const found = await this.findPeople(m, incidentId, refs);
      const at = firstIndex(people!);
      const problems = refs.flatMap((ref): FieldError[] => {
        if (!found.has(ref)) return [notOnRoster(at, ref)];
        const sentOn = found.get(ref);
        return sentOn ? [{ path: `people[${at.get(ref)}]`, message: `person ${ref} was notified on ${sentOn}; a sent notice stays on the roster as proof` }] : [];
      });
      if (problems.length) throw new UnprocessableEntityException({ errors: problems.slice(0, MAX_LISTED) });
      await inSlices(refs, (slice, marks) => m.query(`DELETE FROM "roster_person" WHERE "incident_id" = ? AND "seq" IN (${marks})`, [incidentId, ...slice]));
      const { counts, changed, removedObligations } = await this.refreshFacts(m, incidentId, actor, `Removed ${refs.length} ${refs.length === 1 ? 'person' : 'people'} from the roster: ${reason}`);
      await appendIncidentNote(m, { incidentId, type: 'roster.peopleRemoved', actor: actor.id, at: this.clock.now().toISOString(), payload: { people: refs.length, reason, roster: counts } });
      return { removed: refs.length, roster: counts, factsChanged: changed, ...(removedObligations ? { removedObligations } : {}) };
    });
  }

  /** The listed people on the roster, each with the date their notice was sent (null if not yet). */
  private async findPeople(m: EntityManager, incidentId: string, refs: number[]): Promise<Map<number, string | null>> {
    const found = new Map<number, string | null>();
    await inSlices(refs, async (slice, marks) => {
      const rows: { seq: number; sent_on: string | null }[] = await m.query(
        `SELECT p."seq", b."sent_on" FROM "roster_person" p LEFT JOIN "letter_batch" b ON b."id" = p."notified_batch"
         WHERE p."incident_id" = ? AND p."active" = 1 AND p."seq" IN (${marks})`, [incidentId, ...slice]);
      for (const r of rows) found.set(r.seq, r.sent_on);
    });
    return found;
  }

  /** Returned mail as a CSV with a `person` column; the date is `returnedOn` from the query. */
  async returnedMailFromCsv(incidentId: string, actor: Actor, input: Readable, returnedOn: unknown): Promise<ReturnType<RosterService['recordReturnedMail']>> {
    const people: number[] = [];
    const errors: FieldError[] = [];
    let rowNo = 1;
    try {
      for await (const rec of input.pipe(parse({ bom: true, skip_empty_lines: true, columns: (h: string[]) => h.map(normalizeColumn) })) as AsyncIterable<Record<string, string>>) {
        rowNo++;
        const v = (rec.person ?? '').trim();
        if (!/^\d+$/.test(v)) { if (errors.length < MAX_LISTED) errors.push({ path: `row ${rowNo}, person`, message: 'must be a person number from the manifest' }); continue; }
        people.push(Number(v));
      }
    } catch (e) {
      if (e instanceof CsvError) throw new UnprocessableEntityException({ errors: [{ path: 'file', message: `not a readable CSV file (${e.code})` }] });
      throw e;
    }
    if (errors.length) throw new UnprocessableEntityException({ errors });
    return this.recordReturnedMail(incidentId, actor, { returnedOn, people });
  }

  async summary(incidentId: string): Promise<{ roster: RosterCounts; imports: ImportSummary[] }> {
    return this.runner.read(async (m) => {
      await this.incidents.load(m, incidentId);
      const imports: { id: string; status: ImportSummary['status']; mode: ImportMode; rows_read: number; summary: string | null }[] = await m.query(
        'SELECT "id", "status", "mode", "rows_read", "summary" FROM "roster_import" WHERE "incident_id" = ? ORDER BY "started_at" DESC LIMIT 20', [incidentId]);
      return { roster: await this.counts(m, incidentId), imports: imports.map(importView) };
    });
  }

  async importStatus(incidentId: string, importId: string): Promise<ImportSummary> {
    const [row]: { id: string; status: ImportSummary['status']; mode: ImportMode; rows_read: number; summary: string | null }[] = await this.runner.read((m) =>
      m.query('SELECT "id", "status", "mode", "rows_read", "summary" FROM "roster_import" WHERE "incident_id" = ? AND "id" = ?', [incidentId, importId]));
    if (!row) throw new UnprocessableEntityException({ errors: [{ path: 'importId', message: 'no such import for this incident' }] });
    return importView(row);
  }

  /** One person on the roster by their number, opened; null when there is none. */
  async person(incidentId: string, seq: number): Promise<RosterPerson | null> {
    const [row]: StoredPerson[] = await this.runner.read((m) => m.query(
      'SELECT "seq", "returned_on", "sealed" FROM "roster_person" WHERE "incident_id" = ? AND "seq" = ? AND "active" = 1', [incidentId, seq]));
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
      const rows: StoredPerson[] = await run((m) => m.query(
        `SELECT "seq", "returned_on", "sealed" FROM "roster_person"
         WHERE "incident_id" = ? AND "active" = 1 AND "seq" > ? ${batchId ? 'AND "notified_batch" = ?' : ''} ORDER BY "seq" LIMIT ?`,
        [incidentId, after, ...(batchId ? [batchId] : []), pageSize]));
      if (!rows.length) return;
      after = rows[rows.length - 1].seq;
      yield rows.map((r) => ({ seq: r.seq, person: this.openPerson(incidentId, r), returnedOn: r.returned_on }));
    }
  }

  private async assertCanChangeFacts(m: EntityManager, incidentId: string): Promise<void> {
    const { snapshot } = await this.incidents.load(m, incidentId);
    if (!isOpen(snapshot)) {
      throw new ConflictException({ errors: [{ path: 'incident', message: 'the incident is closed; reopen it (incident.reopened) before changing its roster' }] });
    }
    if (!acceptedEvents(snapshot).includes('facts.updated')) {
      throw new ConflictException({ errors: [{ path: 'incident', message: 'the incident does not accept new facts in its current state' }] });
    }
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
      await m.query('DELETE FROM "roster_person" WHERE "import_id" = ? AND "active" = 0', [importId]);
      await this.saveSummary(m, importId, summary);
    });
    return summary;
  }

  private async saveSummary(m: EntityManager, importId: string, summary: ImportSummary): Promise<void> {
    await m.query('UPDATE "roster_import" SET "status" = ?, "rows_read" = ?, "summary" = ?, "finished_at" = ? WHERE "id" = ?',
      [summary.status, summary.rowsRead, JSON.stringify(summary), this.clock.now().toISOString(), importId]);
  }
}

/** A list of person numbers (the manifest's person column), each one named when bad. */
function checkPeople(c: Checker, v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length === 0 || v.length > 100_000) return c.fail('people', "must be a list of 1 to 100,000 person numbers (the manifest's person column)");
  v.forEach((p, i) => { if (!Number.isInteger(p) || (p as number) < 1) c.fail(`people[${i}]`, `must be a person number, got ${JSON.stringify(p)}`); });
  return v as number[];
}

/** Where each number first appears in the list: one pass, so naming 100,000 absent people stays linear. */
function firstIndex(listed: number[]): Map<number, number> {
  const at = new Map<number, number>();
  listed.forEach((ref, i) => { if (!at.has(ref)) at.set(ref, i); });
  return at;
}

function notOnRoster(at: Map<number, number>, ref: number): FieldError {
  return { path: `people[${at.get(ref)}]`, message: `no person ${ref} on this incident's roster` };
}

/** Runs a statement per BATCH of values, with its `?, ?, ...` placeholders (SQLite caps parameters). */
async function inSlices(values: number[], run: (slice: number[], marks: string) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < values.length; i += BATCH) {
    const slice = values.slice(i, i + BATCH);
    await run(slice, slice.map(() => '?').join(', '));
  }
}

class HeaderError extends Error {}

/** Fewer rows would be activated than were read: the import fails loudly instead of answering "done". */
class StagedRowsLost extends Error {
  constructor(readonly read: number, readonly accounted: number) {
    super(`${read} rows were read but only ${accounted} are accounted for (imported, duplicate or skipped); nothing was imported`);
  }
}

/** The file as a whole cannot be read as a roster (header, CSV syntax, no rows). */
class RosterFileError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => `${e.path}: ${e.message}`).join('; '));
  }
}


function importView(row: { id: string; status: ImportSummary['status']; mode: ImportMode; rows_read: number; summary: string | null }): ImportSummary {
  if (row.summary) return JSON.parse(row.summary) as ImportSummary;
  return { importId: row.id, status: row.status, mode: row.mode, rowsRead: row.rows_read, imported: 0, invalidRows: 0, errors: [], duplicates: { count: 0, rows: [] }, message: 'running' };
}

function sorted(o: Record<string, number | undefined>): [string, number | undefined][] {
  return Object.entries(o).filter(([, v]) => v).sort(([a], [b]) => a.localeCompare(b));
}
