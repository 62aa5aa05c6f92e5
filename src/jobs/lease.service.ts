import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock, systemClock } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { TransactionRunner } from '../persistence/transaction-runner';
import { JobLeaseRepository } from './job-lease.repository';

/** The long jobs that hold a lease while they run. */
export type LeaseKind = 'roster_import' | 'letter_batch' | 'outbox' | 'retention';

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

/**
 * The clock leases are timed by, injected (LEASE_CLOCK): by default the machine's wall time, since a
 * lease asks "is that process still alive?". It is deliberately not the business clock (CLOCK): a
 * demo or a test that fixes the business date (CLOCK_AT) would otherwise freeze every lease forever.
 */
export const LEASE_CLOCK = Symbol('LEASE_CLOCK');
export const leaseClockProvider = { provide: LEASE_CLOCK, useValue: systemClock };

/**
 * Leases, not boot-time repairs: a long job is a row with an owner (random per process), a token per
 * acquisition and an expiry the owner renews every third of the lease. Any process (the server, a
 * CLI command booting the same modules) takes over only leases whose expiry has passed, with a
 * conditional UPDATE ... WHERE expires_at < now ... RETURNING that both SQLite and PostgreSQL run;
 * the row it returns tells it whether it won. No process touches a live lease.
 */
@Injectable()
export class LeaseService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly owner = `pid ${process.pid} ${randomUUID()}`;
  private readonly logger = new Logger('Leases');
  private readonly recoveries = new Map<LeaseKind, LeaseRecovery>();
  private readonly held = new Set<NodeJS.Timeout>();
  private sweep: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private readonly ttlMs: number;

  constructor(
    private readonly runner: TransactionRunner,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LEASE_CLOCK) private readonly clock: Clock,
    private readonly repo: JobLeaseRepository,
  ) {
    this.ttlMs = config.leaseSeconds * 1000;
  }

  /** A module says how to repair its jobs of one kind (called from its constructor). */
  onExpired(kind: LeaseKind, recovery: LeaseRecovery): void {
    this.recoveries.set(kind, recovery);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.recoverExpired();
    this.sweep = setInterval(() => {
      this.sweeping ??= this.recoverExpired().finally(() => { this.sweeping = null; });
    }, Math.max(500, this.ttlMs / 2));
    this.sweep.unref();
  }

  /** Before the connections close: no sweep or renewal starts after this, and a sweep under way finishes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    for (const t of this.held) clearInterval(t);
    this.held.clear();
    await this.sweeping;
  }

  private expiry(): string {
    return new Date(this.clock.now().getTime() + this.ttlMs).toISOString();
  }

  /** Inside the unit of work that creates the job: its lease, owned by this process. Returns its token. */
  async acquire(m: EntityManager, kind: LeaseKind, ref: string): Promise<string> {
    const token = randomUUID();
    await this.repo.insert(m, { job: `${kind}:${ref}`, kind, ref, owner: this.owner, token, expiresAt: this.expiry(), acquiredAt: this.clock.now().toISOString() });
    return token;
  }

  /**
   * For a job only one process may run at a time and nobody repairs (the retention pass): the lease
   * if no process holds it, or its holder's lease expired; null while another holds it live.
   */
  async tryAcquire(m: EntityManager, kind: LeaseKind, ref: string): Promise<string | null> {
    const token = randomUUID();
    const now = this.clock.now().toISOString();
    const won = await this.repo.insertIfFree(m, { job: `${kind}:${ref}`, kind, ref, owner: this.owner, token, expiresAt: this.expiry(), acquiredAt: now }, now);
    return won ? token : null;
  }

  /** After the acquiring unit committed: renew the lease until it is stopped. */
  hold(kind: LeaseKind, ref: string, token: string): Lease {
    const job = `${kind}:${ref}`;
    let lost = false;
    const stillMine = async (m: EntityManager) => (await this.repo.tokenOf(m, job)) === token;
    const timer = setInterval(() => {
      void this.runner.transaction(async (m) => {
        return (await this.repo.renew(m, job, token, this.expiry())) === 1;
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
        await this.repo.remove(m, job, token);
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
        expired = await this.runner.read((m) => this.repo.expired(m, kind, this.clock.now().toISOString()));
      } catch (e) {
        this.logger.warn(`could not look for expired ${kind} leases: ${(e as Error).message}`);
        continue;
      }
      for (const { job, ref } of expired) {
        const token = randomUUID();
        try {
          const after = await this.runner.transaction(async (m) => {
            // Conditional on the expiry, in one statement: of two processes taking over at once, the
            // second (on PostgreSQL it waits for the first's row lock) finds the lease live and gets nothing.
            if (!(await this.repo.takeOver(m, job, this.owner, token, this.expiry(), this.clock.now().toISOString()))) return null;
            const then = await recovery(m, ref);
            await this.repo.remove(m, job, token);
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
