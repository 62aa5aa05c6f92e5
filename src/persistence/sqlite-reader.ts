import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { SqliteDriver } from 'typeorm/driver/sqlite/SqliteDriver';

/**
 * SQLite's second connection, for reads only. In WAL mode a reader never waits for the writer and
 * sees what was committed when its read transaction began: a page, an API read or a request's
 * authentication no longer queues behind a roster import's chunk or a group of changes, and a
 * change's request reaches the writer while the group before it still runs (TransactionRunner).
 * Opened read-only, so a unit of work that writes through `read` fails instead of racing the
 * writer. None for PostgreSQL (its pool serves reads) or an in-memory database (a second
 * connection would open another, empty database).
 */
@Injectable()
export class SqliteReader implements OnModuleInit, BeforeApplicationShutdown {
  private opened: DataSource | null = null;
  /** The last read queued (reads run one after another, each in its own read transaction). */
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: DataSource) {}

  /** Whether reads go to the read connection (open, and not closing). */
  get open(): boolean {
    return this.opened !== null;
  }

  async onModuleInit(): Promise<void> {
    const o = this.db.options;
    if (o.type !== 'sqlite' || o.database === ':memory:') return;
    const { OPEN_READONLY } = (this.db.driver as SqliteDriver).sqlite as { OPEN_READONLY: number };
    const reader = await new DataSource({ ...o, flags: OPEN_READONLY, enableWAL: false, migrationsRun: false, migrations: [] }).initialize();
    sameDatabase.set(reader, this.db);
    this.opened = reader;
  }

  /**
   * Runs read-only `work` in a read transaction of this connection, after the reads queued before
   * it; `otherwise` (the writer's turn) when the connection closed while it waited.
   */
  read<T>(work: (m: EntityManager) => Promise<T>, otherwise: () => Promise<T>): Promise<T> {
    const run = this.tail.then(() => (this.opened ? this.opened.transaction(work) : otherwise()));
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Closed before the writer, so the writer is the database's last connection and checkpoints the
   * WAL into the file as it closes (a read-only connection cannot). A read running on it finishes
   * first (a timer's sweep or a request in flight at shutdown would otherwise lose its connection
   * mid-transaction); reads queued after it, and all reads from then on, take their turn on the writer.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const reader = this.opened;
    this.opened = null;
    await this.tail;
    if (reader?.isInitialized) await reader.destroy();
  }
}

const sameDatabase = new WeakMap<DataSource, DataSource>();

/**
 * The connection whose keys a connection uses: the writer's for its reader (the PHI cipher, the
 * audit key and other per-database bindings are registered on the writer once).
 */
export function primaryOf(db: DataSource): DataSource {
  return sameDatabase.get(db) ?? db;
}
