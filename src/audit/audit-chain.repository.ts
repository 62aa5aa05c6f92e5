import { DataSource, EntityManager } from 'typeorm';
import { selectOne } from '../persistence/sql';
import { ChainName } from './chain-name';

/**
 * A chain's keyed_from is written once, by migration KeyedAudit1764000000022, and never changed:
 * it is read once per database connection and per chain, not once per appended event (an event
 * appends while holding the chain's head, so every statement there is paid by every writer).
 */
const known = new WeakMap<DataSource, Map<ChainName, number | null>>();

/** SQL of "audit_chain": from which seq each chain is keyed. No logic. */
export class AuditChainRepository {
  /** The chain's keyed_from, or null when the chain has no row. */
  async keyedFrom(m: EntityManager, chain: ChainName): Promise<number | null> {
    const seen = known.get(m.connection) ?? known.set(m.connection, new Map()).get(m.connection)!;
    if (seen.has(chain)) return seen.get(chain)!;
    const row = await selectOne<{ keyed_from: number | string }>(m, 'SELECT "keyed_from" FROM "audit_chain" WHERE "chain" = $1', [chain]);
    const value = row ? Number(row.keyed_from) : null;
    // A chain without its row yet (a database still migrating) is asked again next time.
    if (value !== null) seen.set(chain, value);
    return value;
  }
}
