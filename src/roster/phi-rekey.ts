import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { EntityManager } from 'typeorm';
import { appendAccessEvent } from '../audit/access-log';
import { ConfigError } from '../config/config';
import { identityBasis, RosterPerson } from '../domain/roster/roster';
import { OutboxRepository } from '../reminders/outbox.repository';
import { PhiCipher } from './phi-cipher';
import { PhiKeyCheckRepository } from './phi-key-check.repository';
import { RosterPersonRepository } from './roster-person.repository';
import { personAad } from './roster.types';

/**
 * `breachflow phi rekey`: re-seals every sealed field (roster people, patients' queued emails, the
 * key check) under a new key, a page per unit of work. Resumable: a value that already opens under
 * the new key is left as it is, so a run cut short is simply run again. Audited when it completes.
 */

const PAGE = 500;

export function newKeyFile(path: string): PhiCipher {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  }
  if ((statSync(path).mode & 0o077) !== 0) throw new ConfigError([`${path}: the new PHI key file must be readable by its owner only (chmod 600 ${path})`]);
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new ConfigError([`${path}: not a PHI key (32 bytes as base64 expected)`]);
  return new PhiCipher(key);
}

function opens(cipher: PhiCipher, sealed: string, aad: string): boolean {
  try {
    cipher.open(sealed, aad);
    return true;
  } catch {
    return false;
  }
}

export interface RekeyCounts { roster: number; outbox: number; alreadyDone: number }

type Unit = <T>(work: (m: EntityManager) => Promise<T>) => Promise<T>;

export async function rekeyPhi(unit: Unit, from: PhiCipher, to: PhiCipher, actor: string, at: () => string): Promise<RekeyCounts> {
  const counts: RekeyCounts = { roster: 0, outbox: 0, alreadyDone: 0 };
  const people = new RosterPersonRepository();
  const outbox = new OutboxRepository();
  for (let after = { incident: '', seq: 0 }; ;) {
    const rows = await unit((m) => people.sealedAfter(m, after, PAGE));
    if (!rows.length) break;
    await unit(async (m) => {
      for (const r of rows) {
        const aad = personAad(r.incident_id, r.seq);
        if (opens(to, r.sealed, aad)) { counts.alreadyDone++; continue; }
        const p = from.open<RosterPerson>(r.sealed, aad);
        await people.reseal(m, r.incident_id, r.seq, to.seal(p, aad), to.identity(`${r.incident_id}|${identityBasis(p)}`));
        counts.roster++;
      }
    });
    const last = rows[rows.length - 1];
    after = { incident: last.incident_id, seq: Number(last.seq) };
  }
  for (let after = 0; ;) {
    const rows = await unit((m) => outbox.sealedAfter(m, after, PAGE));
    if (!rows.length) break;
    await unit(async (m) => {
      for (const r of rows) {
        const aad = `outbox/${r.idempotency_key}`;
        if (opens(to, r.sealed, aad)) { counts.alreadyDone++; continue; }
        await outbox.reseal(m, r.id, to.seal(from.open(r.sealed, aad), aad));
        counts.outbox++;
      }
    });
    after = Number(rows[rows.length - 1].id);
  }
  await unit(async (m) => {
    await new PhiKeyCheckRepository().update(m, to.seal('breachflow phi key check', 'key-check'));
    await appendAccessEvent(m, { type: 'phi.rekeyed', actor, at: at(), detail: { ...counts } });
  });
  return counts;
}
