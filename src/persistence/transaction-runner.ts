import { Injectable, Optional } from '@nestjs/common';
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { engineOf, SqlEngine } from './sql';
import { SqliteReader } from './sqlite-reader';

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
 * SQLite: one writer connection (TypeORM's driver has one), so two transactions started at once
 * would fail ("cannot start a transaction within a transaction"): transactions run one group at a
 * time. Those that queue while a group runs join it (group commit): one outer transaction, a
 * SAVEPOINT per unit, one COMMIT (one fsync). A unit that throws rolls back to its own savepoint
 * only; every unit's result (or error) is released only after the COMMIT, so nobody acts on work
 * that did not reach the disk. Reads go to the read connection (SqliteReader), which never waits
 * for the writer and never sees its uncommitted rows; without one (an in-memory database) they take
 * their turn in the queue, since on the writer's connection they would see those rows.
 */
@Injectable()
export class TransactionRunner {
  readonly engine: SqlEngine;
  private readonly queue: Unit[] = [];
  private draining = false;

  constructor(private readonly db: DataSource, @Optional() private readonly reader?: SqliteReader) {
    this.engine = engineOf(db.manager);
  }

  /** Runs `work` in a transaction (on SQLite after every unit queued before it). */
  transaction<T>(work: Work<T>): Promise<T> {
    if (this.engine === 'postgres') return this.db.transaction(work);
    return this.enqueue('transaction', work);
  }

  /**
   * Runs read-only `work`: on PostgreSQL at once; on SQLite in a read transaction of the read
   * connection (SqliteReader), one consistent view of what was committed, without waiting for the
   * writer; without a read connection (an in-memory database), in turn with the transactions.
   */
  read<T>(work: Work<T>): Promise<T> {
    if (this.engine === 'postgres') return work(this.db.manager);
    if (!this.reader?.open) return this.enqueue('read', work);
    return this.reader.read(work, () => this.enqueue('read', work));
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
        if (this.queue[0].kind === 'read') {
          const unit = this.queue.shift()!;
          await unit.work(this.db.manager).then(unit.resolve, unit.reject);
          continue;
        }
        await this.commitGroup(this.takeTransactions(GROUP_LIMIT));
      }
    } finally {
      this.draining = false;
    }
  }

  /** The transactions at the head of the queue, at most `limit`, out of it. */
  private takeTransactions(limit: number): Unit[] {
    let n = 0;
    while (n < this.queue.length && n < limit && this.queue[n].kind === 'transaction') n++;
    return this.queue.splice(0, n);
  }

  /** One outer transaction, a savepoint per unit, one commit; outcomes released after it. */
  private async commitGroup(units: Unit[]): Promise<void> {
    const q = this.db.createQueryRunner();
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      await q.startTransaction();
      // Transactions queued while the group runs join it (up to GROUP_LIMIT), a lone one's too:
      // they would otherwise wait for this commit, then make a group of their own behind it.
      for (let i = 0; i < units.length; i++) {
        outcomes.push(await this.inSavepoint(q, units[i].work));
        units.push(...this.takeTransactions(GROUP_LIMIT - units.length));
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
