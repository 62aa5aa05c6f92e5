import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock, systemClock } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { TransactionRunner } from '../persistence/transaction-runner';

/** The long jobs that hold a lease while they run. */
export type LeaseKind = 'roster_import' | 'letter_batch' | 'outbox';

/**
 * Repairs one job whose owner stopped renewing its lease (the process died or hung), inside the
 * unit of work that takes the lease over. It may return work to do once that unit has committed
 * (removing files), so nothing outside the database changes for a repair that rolled back.
 */
export type LeaseRecovery = (m: EntityManager, ref: string) => Promise<(() => void) | void>;

/** The job was taken over by another process after its lease expired: stop, change nothing. */
export class LeaseLost extends Error {
  constructor(readonly kind: LeaseKind, readonly ref: string) {
    super(`the lease of ${kind} ${ref} expired and another process took the job over`);
  }
}

/** A lease this process holds and renews until it is released or stopped. */
export interface Lease {
  readonly kind: LeaseKind;
  readonly ref: string;
  /** True once a renewal found the lease taken over. */
  readonly lost: boolean;
  /** Inside a unit of work: throws LeaseLost unless the lease is still this process's. */
  assertHeld(m: EntityManager): Promise<void>;
  /** Inside the unit of work that finishes the job: checks it is still held, and ends it. */
  release(m: EntityManager): Promise<void>;
  /** Stops renewing (after the release committed, or when the job gave up). */
  stop(): void;
}

/** Lease times are the machine's wall time (is a process alive?), never a test's or demo's business clock. */
const WALL: Clock = systemClock;

/**
 * Leases, not boot-time repairs: a long job is a row with an owner (random per process), a token per
 * acquisition and an expiry the owner renews every third of the lease. Any process (the server, a
 * CLI command booting the same modules) takes over only leases whose expiry has passed, with a
 * conditional UPDATE ... WHERE expires_at < now that both SQLite and PostgreSQL run; the new token
 * it writes tells it whether it won. No process touches a live lease.
 */
@Injectable()
export class LeaseService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly owner = `pid ${process.pid} ${randomUUID()}`;
  private readonly logger = new Logger('Leases');
  private readonly recoveries = new Map<LeaseKind, LeaseRecovery>();
  private readonly held = new Set<NodeJS.Timeout>();
  private sweep: NodeJS.Timeout | null = null;
  private readonly ttlMs: number;

  constructor(private readonly runner: TransactionRunner, @Inject(APP_CONFIG) config: AppConfig) {
    this.ttlMs = config.leaseSeconds * 1000;
  }

  /** A module says how to repair its jobs of one kind (called from its constructor). */
  onExpired(kind: LeaseKind, recovery: LeaseRecovery): void {
    this.recoveries.set(kind, recovery);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.recoverExpired();
    this.sweep = setInterval(() => void this.recoverExpired(), Math.max(500, this.ttlMs / 2));
    this.sweep.unref();
  }

  onApplicationShutdown(): void {
    if (this.sweep) clearInterval(this.sweep);
    for (const t of this.held) clearInterval(t);
    this.held.clear();
  }

  private expiry(): string {
    return new Date(WALL.now().getTime() + this.ttlMs).toISOString();
  }

  /** Inside the unit of work that creates the job: its lease, owned by this process. Returns its token. */
  async acquire(m: EntityManager, kind: LeaseKind, ref: string): Promise<string> {
    const token = randomUUID();
    await m.query('INSERT INTO "job_lease" ("job", "kind", "ref", "owner", "token", "expires_at", "acquired_at") VALUES (?, ?, ?, ?, ?, ?, ?)',
      [`${kind}:${ref}`, kind, ref, this.owner, token, this.expiry(), WALL.now().toISOString()]);
    return token;
  }

  /** After the acquiring unit committed: renew the lease until it is stopped. */
  hold(kind: LeaseKind, ref: string, token: string): Lease {
    const job = `${kind}:${ref}`;
    let lost = false;
    const stillMine = async (m: EntityManager) => {
      const [row]: { token: string }[] = await m.query('SELECT "token" FROM "job_lease" WHERE "job" = ?', [job]);
      return row?.token === token;
    };
    const timer = setInterval(() => {
      void this.runner.transaction(async (m) => {
        await m.query('UPDATE "job_lease" SET "expires_at" = ? WHERE "job" = ? AND "token" = ?', [this.expiry(), job, token]);
        return stillMine(m);
      }).then((mine) => {
        if (mine) return;
        lost = true;
        lease.stop();
        this.logger.warn(`${kind} ${ref}: the lease was taken over by another process; this one stops`);
      }, (e: Error) => this.logger.warn(`${kind} ${ref}: could not renew the lease (${e.message}); trying again`));
    }, Math.max(200, this.ttlMs / 3));
    timer.unref();
    this.held.add(timer);
    const lease: Lease = {
      kind,
      ref,
      get lost() { return lost; },
      assertHeld: async (m) => {
        if (lost || !(await stillMine(m))) { lost = true; throw new LeaseLost(kind, ref); }
      },
      release: async (m) => {
        await lease.assertHeld(m);
        await m.query('DELETE FROM "job_lease" WHERE "job" = ? AND "token" = ?', [job, token]);
      },
      stop: () => {
        clearInterval(timer);
        this.held.delete(timer);
      },
    };
    return lease;
  }

  /**
   * Takes over every expired lease of the kinds with a recovery, one unit of work each: the
   * conditional UPDATE writes a fresh token, and only the process that reads its own token back
   * repairs the job. Returns how many jobs this process repaired.
   */
  async recoverExpired(): Promise<number> {
    let repaired = 0;
    for (const [kind, recovery] of this.recoveries) {
      let expired: { job: string; ref: string }[];
      try {
        expired = await this.runner.read((m) => m.query('SELECT "job", "ref" FROM "job_lease" WHERE "kind" = ? AND "expires_at" < ?', [kind, WALL.now().toISOString()]));
      } catch (e) {
        this.logger.warn(`could not look for expired ${kind} leases: ${(e as Error).message}`);
        continue;
      }
      for (const { job, ref } of expired) {
        const token = randomUUID();
        try {
          const after = await this.runner.transaction(async (m) => {
            await m.query('UPDATE "job_lease" SET "owner" = ?, "token" = ?, "expires_at" = ? WHERE "job" = ? AND "expires_at" < ?',
              [this.owner, token, this.expiry(), job, WALL.now().toISOString()]);
            const [row]: { token: string }[] = await m.query('SELECT "token" FROM "job_lease" WHERE "job" = ?', [job]);
            if (row?.token !== token) return null;
            const then = await recovery(m, ref);
            await m.query('DELETE FROM "job_lease" WHERE "job" = ? AND "token" = ?', [job, token]);
            return then ?? (() => undefined);
          });
          if (after) {
            repaired++;
            after();
            this.logger.warn(`${kind} ${ref}: its process stopped renewing the lease; repaired`);
          }
        } catch (e) {
          this.logger.warn(`could not take over ${kind} ${ref}: ${(e as Error).message}; trying again later`);
        }
      }
    }
    return repaired;
  }
}
