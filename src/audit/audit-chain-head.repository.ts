import { EntityManager } from 'typeorm';
import { execute, returning } from '../persistence/sql';
import { ChainName } from './chain-name';

/** SQL of "audit_chain_head": each chain's last seq and hash. No logic. */
export class AuditChainHeadRepository {
  /**
   * Takes the next seq of a chain: the row is advanced (and, on PostgreSQL, locked until the
   * transaction ends) and answers the new seq with the hash of the event before it.
   */
  async advance(m: EntityManager, chain: ChainName): Promise<{ seq: number; prevHash: string }> {
    const [row] = await returning<{ seq: number | string; hash: string }>(m, 'UPDATE "audit_chain_head" SET "seq" = "seq" + 1 WHERE "chain" = $1 RETURNING "seq", "hash"', [chain]);
    if (!row) throw new Error(`the audit chain ${chain} has no head row (migration AuditChainHead1764000000027)`);
    return { seq: Number(row.seq), prevHash: row.hash };
  }

  async setHash(m: EntityManager, chain: ChainName, seq: number, hash: string): Promise<void> {
    await execute(m, 'UPDATE "audit_chain_head" SET "hash" = $1 WHERE "chain" = $2 AND "seq" = $3', [hash, chain, seq]);
  }
}
