import { EntityManager } from 'typeorm';
import { AccessEventRepository } from './access-event.repository';
import { AuditEventRepository } from './audit-event.repository';
import { auditKeyOf, macOf } from './audit-key';
import { ChainName } from './chain-name';
import { canonicalJson } from './canonical';

/**
 * A signed checkpoint of both audit chains: each chain's event count and head hash, when it was
 * taken, and a MAC under the audit key. A practice keeps it somewhere the database is not (printed,
 * mailed to itself, another machine); `audit verify --checkpoint FILE` then proves that nothing up
 * to it changed: a recomputed chain has other hashes, a removed last event a shorter chain.
 */

export interface ChainHead { count: number; head: string | null }
export interface Checkpoint {
  breachflowAuditCheckpoint: 1;
  at: string;
  incidentEvents: ChainHead;
  accessEvents: ChainHead;
  mac: string;
}

/** Each chain's table, through its repository. */
const TRAILS: Record<ChainName, AuditEventRepository | AccessEventRepository> = { incident_event: new AuditEventRepository(), access_event: new AccessEventRepository() };

async function head(m: EntityManager, chain: ChainName): Promise<ChainHead> {
  const row = await TRAILS[chain].head(m);
  return { count: row ? Number(row.seq) : 0, head: row?.hash ?? null };
}

export async function takeCheckpoint(m: EntityManager, at: Date): Promise<Checkpoint> {
  const body = { breachflowAuditCheckpoint: 1 as const, at: at.toISOString(), incidentEvents: await head(m, 'incident_event'), accessEvents: await head(m, 'access_event') };
  return { ...body, mac: macOf(auditKeyOf(m), canonicalJson(body)) };
}

/** Null when the database still holds everything the checkpoint saw, else what differs. */
export async function checkAgainst(m: EntityManager, input: unknown): Promise<string | null> {
  const c = input as Partial<Checkpoint> | null;
  if (!c || c.breachflowAuditCheckpoint !== 1 || typeof c.mac !== 'string' || !c.incidentEvents || !c.accessEvents) return 'not a breachflow audit checkpoint';
  const { mac, ...body } = c;
  if (macOf(auditKeyOf(m), canonicalJson(body)) !== mac) return 'the checkpoint was edited, or made with another audit key';
  for (const [chain, h, label] of [['incident_event', c.incidentEvents, 'incident events'], ['access_event', c.accessEvents, 'access events']] as const) {
    if (!h.count) continue;
    const hash = await TRAILS[chain].hashAt(m, h.count);
    if (hash === null) return `the checkpoint of ${c.at} saw ${h.count} ${label}; the trail now has fewer: events were removed`;
    if (hash !== h.head) return `${label.slice(0, -1)} #${h.count} is not the one the checkpoint of ${c.at} saw: the trail up to it was rewritten`;
  }
  return null;
}
