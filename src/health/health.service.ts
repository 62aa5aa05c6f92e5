import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../clock/clock';
import { RULE_PACK } from '../config/config.module';
import { hasStatute, RulePack } from '../domain/rules/rule-pack';

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unreachable';
  migrations: string[];
  /** The state rule pack: its version, the day it was last checked against the statutes, how many
   *  jurisdictions have a breach statute in it, and every version this database has run with. */
  rulePack: { version: string; reviewedOn: string; jurisdictions: number; knownVersions: string[] };
}

@Injectable()
export class HealthService implements OnApplicationBootstrap {
  constructor(
    private readonly db: DataSource,
    @Inject(RULE_PACK) private readonly pack: RulePack,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records each rule pack version this database has run with, so a pack change leaves a trace. */
  async onApplicationBootstrap(): Promise<void> {
    await this.db.query('INSERT OR IGNORE INTO "rule_pack_version" ("version", "first_loaded_at") VALUES (?, ?)', [
      this.pack.version,
      this.clock.now().toISOString(),
    ]);
  }

  async check(): Promise<Health> {
    const jurisdictions = Object.values(this.pack.states).filter((r) => r && hasStatute(r)).length;
    const rulePack = { version: this.pack.version, reviewedOn: this.pack.reviewedOn, jurisdictions, knownVersions: [] as string[] };
    try {
      const versions: { version: string }[] = await this.db.query('SELECT "version" FROM "rule_pack_version" ORDER BY "first_loaded_at"');
      const migrations: { name: string }[] = await this.db.query('SELECT "name" FROM "migrations" ORDER BY "id"');
      rulePack.knownVersions = versions.map((v) => v.version);
      return { status: 'ok', database: 'ok', migrations: migrations.map((m) => m.name), rulePack };
    } catch {
      return { status: 'unavailable', database: 'unreachable', migrations: [], rulePack };
    }
  }
}
