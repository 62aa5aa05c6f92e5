import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { engineOf, SqlEngine } from './sql';

type Work<T> = (m: EntityManager) => Promise<T>;

interface Unit {
  kind: 'transaction' | 'read';
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The most units one SQLite commit carries; the rest go in the next. */
export const GROUP_LIMIT = 64;

/**
 * Where each unit of database work runs.
 *
 * PostgreSQL: a pool; every transaction gets its own pooled connection and real transaction, and
 * reads run at once. Row locks (`forUpdate`, `skipLocked` in sql.ts) order the writers that meet.
 *
 * SQLite: TypeORM's drivers share one connection, so two transactions started at once fail ("cannot
 * start a transaction within a transaction") and a read issued during a transaction would see its
 * uncommitted rows: reads never run while a transaction does. Transactions that queued up while one batch ran are
 * committed together (group commit): one outer transaction, a SAVEPOINT per unit, one COMMIT (one
 * fsync). A unit that throws rolls back to its own savepoint only; every unit's result (or error)
 * is released only after the COMMIT, so nobody acts on work that did not reach the disk.
 */
@Injectable()
export class TransactionRunner {
  readonly engine: SqlEngine;
  private readonly queue: Unit[] = [];
  private draining = false;

  constructor(private readonly db: DataSource) {
    this.engine = engineOf(db.manager);
  }

  /** Runs `work` in a transaction (on SQLite after every unit queued before it). */
  transaction<T>(work: Work<T>): Promise<T> {
    if (this.engine === 'postgres') return this.db.transaction(work);
    return this.enqueue('transaction', work);
  }

  /** Runs read-only `work` outside a transaction (on SQLite still in turn). */
  read<T>(work: Work<T>): Promise<T> {
    if (this.engine === 'postgres') return work(this.db.manager);
    return this.enqueue('read', work);
  }

  private enqueue<T>(kind: Unit['kind'], work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ kind, work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length) {
        // The units waiting together were all issued before any of them answered, so any order
        // among them is one their callers could have seen. The reads go first, all at once (the
        // connection runs them one after another without waiting for this loop between them).
        // Their callers mostly go on to a transaction (a request's authentication, then its
        // change): one turn of the event loop lets those join the group that commits next.
        const reads = this.take('read', Infinity);
        if (reads.length) {
          await Promise.all(reads.map((unit) => unit.work(this.db.manager).then(unit.resolve, unit.reject)));
          await new Promise((resolve) => setImmediate(resolve));
        }
        const group = this.take('transaction', GROUP_LIMIT);
        if (group.length) await this.commitGroup(group);
      }
    } finally {
      this.draining = false;
    }
  }

  /** The first `limit` queued units of one kind, in their order, out of the queue. */
  private take(kind: Unit['kind'], limit: number): Unit[] {
    const taken: Unit[] = [];
    const left: Unit[] = [];
    for (const unit of this.queue) (unit.kind === kind && taken.length < limit ? taken : left).push(unit);
    this.queue.splice(0, this.queue.length, ...left);
    return taken;
  }

  /** One outer transaction, a savepoint per unit, one commit; outcomes released after it. */
  private async commitGroup(units: Unit[]): Promise<void> {
    if (units.length === 1) {
      const [unit] = units;
      await this.db.transaction(unit.work).then(unit.resolve, unit.reject);
      return;
    }
    const q = this.db.createQueryRunner();
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await q.startTransaction();
      // Transactions queued while the group runs join it (up to GROUP_LIMIT): they would otherwise
      // make a group of their own behind this one, and pay a commit each.
      for (let i = 0; i < units.length; i++) {
        outcomes.push(await this.inSavepoint(q, units[i].work));
        units.push(...this.take('transaction', GROUP_LIMIT - units.length));
      }
      await q.commitTransaction();
    } catch (e) {
      // The outer transaction itself failed (BEGIN, a savepoint that could not be rolled back, the
      // COMMIT): nothing of the group is on disk, so every unit fails with that error.
      if (q.isTransactionActive) await q.rollbackTransaction().catch(() => undefined);
      await q.release();
      for (const unit of units) unit.reject(e);
      return;
    }
    await q.release();
    units.forEach((unit, i) => (outcomes[i].ok ? unit.resolve(outcomes[i].value) : unit.reject(outcomes[i].value)));
  }

  private async inSavepoint(q: QueryRunner, work: Work<unknown>): Promise<{ ok: boolean; value: unknown }> {
    await q.query('SAVEPOINT "bf_unit"');
    try {
      const value = await work(q.manager);
      await q.query('RELEASE SAVEPOINT "bf_unit"');
      return { ok: true, value };
    } catch (e) {
      // Throws (and so fails the whole group) only if the connection itself is broken.
      await q.query('ROLLBACK TO SAVEPOINT "bf_unit"');
      await q.query('RELEASE SAVEPOINT "bf_unit"');
      return { ok: false, value: e };
    }
  }
}
