import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite drivers share one connection, so two transactions started at once fail
 * ("cannot start a transaction within a transaction"), and a read issued during a transaction
 * would see its uncommitted rows. Every unit of database work therefore runs here, one at a time.
 */
@Injectable()
export class TransactionRunner {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: DataSource) {}

  /** Runs `work` in a transaction, after every unit queued before it. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.enqueue(() => this.db.transaction(work));
  }

  /** Runs read-only `work` outside a transaction, still in turn. */
  read<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.enqueue(() => work(this.db.manager));
  }

  private enqueue<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
