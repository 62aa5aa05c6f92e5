import { EntityManager } from 'typeorm';
import { engineOf, execute, returning } from '../persistence/sql';
import { ChainName } from './chain-name';

/** An event row's INSERT and its parameters, as the event repositories write it. */
export interface EventInsert { sql: string; params: unknown[] }

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

  /**
   * Writes the event at the seq `advance` gave (`insert`) and moves the head's hash to it. On
   * PostgreSQL one statement (the head's UPDATE in a WITH): the head, locked since `advance`, is
   * held for one round trip fewer, each of which waits for this process's other work. SQLite has
   * no UPDATE in a WITH, and one writer: two statements, sent together.
   */
  async append(m: EntityManager, chain: ChainName, seq: number, hash: string, insert: EventInsert): Promise<void> {
    // The head's parameters numbered after `from` others.
    const head = (from: number) => `UPDATE "audit_chain_head" SET "hash" = $${from + 1} WHERE "chain" = $${from + 2} AND "seq" = $${from + 3}`;
    const params = [hash, chain, seq];
    if (engineOf(m) === 'postgres') {
      await execute(m, `WITH "moved" AS (${head(insert.params.length)}) ${insert.sql}`, [...insert.params, ...params]);
      return;
    }
    await Promise.all([execute(m, insert.sql, insert.params), execute(m, head(0), params)]);
  }
}
