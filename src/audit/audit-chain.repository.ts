import { EntityManager } from 'typeorm';
import { selectOne } from '../persistence/sql';
import { ChainName } from './chain-name';

/** SQL of "audit_chain": from which seq each chain is keyed. No logic. */
export class AuditChainRepository {
  /** The chain's keyed_from, or null when the chain has no row. */
  async keyedFrom(m: EntityManager, chain: ChainName): Promise<number | null> {
    const row = await selectOne<{ keyed_from: number | string }>(m, 'SELECT "keyed_from" FROM "audit_chain" WHERE "chain" = $1', [chain]);
    return row ? Number(row.keyed_from) : null;
  }
}
