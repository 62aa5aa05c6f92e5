import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../clock/clock';
import { RULE_PACK } from '../config/config.module';
import { hasStatute, RulePack } from '../domain/rules/rule-pack';
import { SqlEngine } from '../persistence/sql';
import { HealthRepository } from './health.repository';

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unreachable';
  /** Which database engine holds the data (DATABASE_URL set: PostgreSQL), and its version; null when it does not answer. */
  engine: { name: SqlEngine; version: string } | null;
  migrations: string[];
  /** The state rule pack: its version, the day it was last checked against the statutes, how many
   *  jurisdictions have a breach statute in it, and every version this database has run with. */
  rulePack: { version: string; reviewedOn: string; jurisdictions: number; knownVersions: string[] };
}

@Injectable()
export class HealthService implements OnApplicationBootstrap {
  constructor(
    private readonly db: DataSource,
    private readonly repo: HealthRepository,
    @Inject(RULE_PACK) private readonly pack: RulePack,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records each rule pack version this database has run with, so a pack change leaves a trace. */
  async onApplicationBootstrap(): Promise<void> {
    await this.repo.notePackVersion(this.db.manager, this.pack.version, this.clock.now().toISOString());
  }

  async check(): Promise<Health> {
    const jurisdictions = Object.values(this.pack.states).filter((r) => r && hasStatute(r)).length;
    const rulePack = { version: this.pack.version, reviewedOn: this.pack.reviewedOn, jurisdictions, knownVersions: [] as string[] };
    try {
      const m = this.db.manager;
      rulePack.knownVersions = await this.repo.packVersions(m);
      const migrations = await this.repo.migrations(m);
      return { status: 'ok', database: 'ok', engine: await this.repo.engine(m), migrations, rulePack };
    } catch {
      return { status: 'unavailable', database: 'unreachable', engine: null, migrations: [], rulePack };
    }
  }
}
