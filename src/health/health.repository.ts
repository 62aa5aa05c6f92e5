import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { engineOf, execute, selectOne, selectRows, SqlEngine } from '../persistence/sql';

/** SQL of the health check: the rule pack versions seen, the migrations applied, the engine. */
@Injectable()
export class HealthRepository {
  /** Records a rule pack version the first time this database runs with it. */
  async notePackVersion(m: EntityManager, version: string, at: string): Promise<void> {
    await execute(m, 'INSERT INTO "rule_pack_version" ("version", "first_loaded_at") VALUES ($1, $2) ON CONFLICT ("version") DO NOTHING', [version, at]);
  }

  async packVersions(m: EntityManager): Promise<string[]> {
    return (await selectRows<{ version: string }>(m, 'SELECT "version" FROM "rule_pack_version" ORDER BY "first_loaded_at"')).map((r) => r.version);
  }

  async migrations(m: EntityManager): Promise<string[]> {
    return (await selectRows<{ name: string }>(m, 'SELECT "name" FROM "migrations" ORDER BY "id"')).map((r) => r.name);
  }

  /** Which engine answers, and its version (SQLite's library, PostgreSQL's server). */
  async engine(m: EntityManager): Promise<{ name: SqlEngine; version: string }> {
    const name = engineOf(m);
    const row = await selectOne<{ v: string }>(m, name === 'postgres' ? `SELECT current_setting('server_version') AS "v"` : 'SELECT sqlite_version() AS "v"');
    return { name, version: row?.v ?? 'unknown' };
  }
}
