import { BeforeApplicationShutdown, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
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

  constructor(private readonly db: DataSource) {}

  /** The read connection, once open. */
  get source(): DataSource | null {
    return this.opened;
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
   * Closed before the writer, so the writer is the database's last connection and checkpoints the
   * WAL into the file as it closes (a read-only connection cannot). Reads after this take their
   * turn on the writer.
   */
  async beforeApplicationShutdown(): Promise<void> {
    const reader = this.opened;
    this.opened = null;
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
