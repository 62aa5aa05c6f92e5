import { EntityManager } from 'typeorm';
import { engineOf, selectOne } from './sql';

/** The keys of the advisory locks, one per kind of change they order ('bf' and a number). */
const KEYS = { settings: 0x62660001, users: 0x62660002 } as const;

/**
 * PostgreSQL's transaction-scoped advisory locks, held until the unit of work ends: `alone` waits
 * for every other holder, `shared` only for one holding it alone. For changes that read and then
 * write what no single row stands for (the settings and every incident's reminders, the set of
 * users and their emails). SQLite has one writer, so a change there is already alone. No logic.
 */
export class AdvisoryLockRepository {
  async hold(m: EntityManager, name: keyof typeof KEYS, mode: 'alone' | 'shared'): Promise<void> {
    if (engineOf(m) !== 'postgres') return;
    await selectOne(m, `SELECT ${mode === 'alone' ? 'pg_advisory_xact_lock' : 'pg_advisory_xact_lock_shared'}($1) AS "locked"`, [KEYS[name]]);
  }
}
