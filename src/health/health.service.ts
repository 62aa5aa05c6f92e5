import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock, CLOCK } from '../clock/clock';
import { RULE_PACK } from '../config/config.module';
import { RulePack } from '../domain/rules/rule-pack';

export interface Health {
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unreachable';
  migrations: string[];
  rulePack: { version: string; reviewedOn: string; knownVersions: string[] };
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
    const rulePack = { version: this.pack.version, reviewedOn: this.pack.reviewedOn, knownVersions: [] as string[] };
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
