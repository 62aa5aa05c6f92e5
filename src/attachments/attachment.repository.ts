import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentKind } from '../domain/evidence/attachment-kinds';
import { execute, selectOne, selectRows } from '../persistence/sql';

export interface AttachmentRow {
  id: string;
  incident_id: string;
  number: number;
  kind: AttachmentKind;
  bytes: number;
  sha256: string;
  sealed_meta: string;
  sealed_key: string;
  storage: string;
  supersedes: string | null;
  superseded_by: string | null;
  actor: string;
  at: string;
}

/** PostgreSQL answers BIGINT as text: a row's numbers are numbers again. */
function fromDb(row: AttachmentRow): AttachmentRow {
  return { ...row, number: Number(row.number), bytes: Number(row.bytes) };
}

/** The attachment table's SQL, and nothing else (portable: src/persistence/sql.ts). */
@Injectable()
export class AttachmentRepository {
  async nextNumber(m: EntityManager, incidentId: string): Promise<number> {
    const row = await selectOne<{ n: number | string | null }>(m, 'SELECT MAX("number") AS "n" FROM "attachment" WHERE "incident_id" = $1', [incidentId]);
    return Number(row?.n ?? 0) + 1;
  }

  async insert(m: EntityManager, r: AttachmentRow): Promise<void> {
    await execute(
      m,
      `INSERT INTO "attachment" ("id", "incident_id", "number", "kind", "bytes", "sha256", "sealed_meta", "sealed_key", "storage", "supersedes", "superseded_by", "actor", "at")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11, $12)`,
      [r.id, r.incident_id, r.number, r.kind, r.bytes, r.sha256, r.sealed_meta, r.sealed_key, r.storage, r.supersedes, r.actor, r.at],
    );
  }

  /** Marks `id` superseded by `by`; false when it already was (someone else corrected it first). */
  async supersede(m: EntityManager, id: string, by: string): Promise<boolean> {
    return (await execute(m, 'UPDATE "attachment" SET "superseded_by" = $1 WHERE "id" = $2 AND "superseded_by" IS NULL', [by, id])) === 1;
  }

  async get(m: EntityManager, incidentId: string, id: string): Promise<AttachmentRow | null> {
    const row = await selectOne<AttachmentRow>(m, 'SELECT * FROM "attachment" WHERE "incident_id" = $1 AND "id" = $2', [incidentId, id]);
    return row ? fromDb(row) : null;
  }

  async list(m: EntityManager, incidentId: string): Promise<AttachmentRow[]> {
    return (await selectRows<AttachmentRow>(m, 'SELECT * FROM "attachment" WHERE "incident_id" = $1 ORDER BY "number"', [incidentId])).map(fromDb);
  }
}
