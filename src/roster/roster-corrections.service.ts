import { Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { parse, CsvError } from 'csv-parse';
import type { Readable } from 'node:stream';
import { EntityManager } from 'typeorm';
import { appendIncidentNote } from '../audit/audit-trail';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { isLocalDate, LocalDate } from '../domain/rules/calendar';
import { isPersonNumber, normalizeColumn } from '../domain/roster/roster';
import { Checker, FieldError } from '../domain/validation';
import { TransactionRunner } from '../persistence/transaction-runner';
import { RosterFactsService } from './roster-facts.service';
import { RosterPersonRepository } from './roster-person.repository';
import { MAX_LISTED, RosterChange } from './roster.types';
import { MAX_CSV_RECORD } from './roster-staging';

/**
 * Corrections of the roster after an import: returned mail (the person cannot be reached by
 * mail any more) and people taken off it. Each checks every listed person first (nothing is half
 * applied), then changes the rows, the facts and the trail in one transaction.
 */
@Injectable()
export class RosterCorrectionsService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly facts: RosterFactsService,
    private readonly people: RosterPersonRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Returned mail for people on the roster (by their person number from the manifest). */
  async recordReturnedMail(incidentId: string, actor: Actor, body: unknown): Promise<{ recorded: number } & RosterChange> {
    const c = new Checker();
    const o = c.object(body, '', ['returnedOn', 'people']);
    const returnedOn = o?.returnedOn;
    if (o && !isLocalDate(returnedOn)) c.fail('returnedOn', `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(returnedOn)}`);
    const people = o && checkPeople(c, o.people);
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return this.change(incidentId, people!, async (m, { refs, found, at }) => {
      const missing = refs.filter((ref) => !found.has(ref)).map((ref) => notOnRoster(at, ref));
      // Mail cannot come back before it went out.
      const early = refs.filter((ref) => (found.get(ref) ?? '') > (returnedOn as LocalDate))
        .map((ref) => ({ path: `people[${at.get(ref) ?? 0}]`, message: `person ${ref} was mailed on ${found.get(ref)}; returnedOn (${returnedOn as string}) is before the mailing` }));
      if (missing.length || early.length) throw new UnprocessableEntityException({ errors: [...missing, ...early].slice(0, MAX_LISTED) });
      await this.people.setReturnedOn(m, incidentId, refs, returnedOn as LocalDate);
      const { counts, changed, removedObligations } = await this.facts.refreshFacts(m, incidentId, actor, `Returned mail recorded for ${refs.length} ${refs.length === 1 ? 'person' : 'people'}`);
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
  async removePeople(incidentId: string, actor: Actor, body: unknown): Promise<{ removed: number } & RosterChange> {
    const c = new Checker();
    const o = c.object(body, '', ['people', 'reason']);
    const people = o && checkPeople(c, o.people);
    const reason = o && c.string(o.reason, 'reason');
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return this.change(incidentId, people!, async (m, { refs, found, at }) => {
      const problems = refs.flatMap((ref): FieldError[] => {
        if (!found.has(ref)) return [notOnRoster(at, ref)];
        const sentOn = found.get(ref);
        return sentOn ? [{ path: `people[${at.get(ref)}]`, message: `person ${ref} was notified on ${sentOn}; a sent notice stays on the roster as proof` }] : [];
      });
      if (problems.length) throw new UnprocessableEntityException({ errors: problems.slice(0, MAX_LISTED) });
      await this.people.deletePeople(m, incidentId, refs);
      const { counts, changed, removedObligations } = await this.facts.refreshFacts(m, incidentId, actor, `Removed ${refs.length} ${refs.length === 1 ? 'person' : 'people'} from the roster: ${reason}`);
      await appendIncidentNote(m, { incidentId, type: 'roster.peopleRemoved', actor: actor.id, at: this.clock.now().toISOString(), payload: { people: refs.length, reason, roster: counts } });
      return { removed: refs.length, roster: counts, factsChanged: changed, ...(removedObligations ? { removedObligations } : {}) };
    });
  }

  /**
   * One correction's transaction: the incident must accept new facts, and the listed people are
   * looked up (each once, with the date their notice was sent) before `work` checks and changes them.
   */
  private change<T>(incidentId: string, listed: number[], work: (m: EntityManager, people: ListedPeople) => Promise<T>): Promise<T> {
    const refs = [...new Set(listed)];
    return this.runner.transaction(async (m) => {
      await this.facts.assertCanChangeFacts(m, incidentId);
      return work(m, { refs, found: await this.people.sentOn(m, incidentId, refs), at: firstIndex(listed) });
    });
  }

  /** Returned mail as a CSV with a `person` column; the date is `returnedOn` from the query. */
  async returnedMailFromCsv(incidentId: string, actor: Actor, input: Readable, returnedOn: unknown): Promise<{ recorded: number } & RosterChange> {
    const people: number[] = [];
    const errors: FieldError[] = [];
    let rowNo = 1;
    try {
      for await (const rec of input.pipe(parse({ bom: true, skip_empty_lines: true, max_record_size: MAX_CSV_RECORD, columns: (h: string[]) => h.map(normalizeColumn) })) as AsyncIterable<Record<string, string>>) {
        rowNo++;
        if (rowNo - 1 > MAX_PEOPLE) throw new UnprocessableEntityException({ errors: [{ path: 'file', message: `lists more than ${MAX_PEOPLE.toLocaleString('en-US')} people: send it in parts` }] });
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
}

/** The people a correction lists: each number once, its notice date if on the roster, where it was first listed. */
interface ListedPeople {
  refs: number[];
  found: Map<number, string | null>;
  at: Map<number, number>;
}

/** The most people one correction lists. */
const MAX_PEOPLE = 100_000;

/** A list of person numbers (the manifest's person column), each one named when bad. */
function checkPeople(c: Checker, v: unknown): number[] | undefined {
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_PEOPLE) return c.fail('people', "must be a list of 1 to 100,000 person numbers (the manifest's person column)");
  v.forEach((p, i) => { if (!isPersonNumber(p)) c.fail(`people[${i}]`, "must be a person number (the manifest's person column, 1 or more)"); });
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
