import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AttachmentKind } from '../domain/evidence/attachment-kinds';

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

/** The attachment table's SQL, and nothing else. */
@Injectable()
export class AttachmentRepository {
  async nextNumber(m: EntityManager, incidentId: string): Promise<number> {
    const [row]: { n: number | null }[] = await m.query('SELECT MAX("number") AS "n" FROM "attachment" WHERE "incident_id" = ?', [incidentId]);
    return (row?.n ?? 0) + 1;
  }

  async insert(m: EntityManager, r: AttachmentRow): Promise<void> {
    await m.query(
      `INSERT INTO "attachment" ("id", "incident_id", "number", "kind", "bytes", "sha256", "sealed_meta", "sealed_key", "storage", "supersedes", "superseded_by", "actor", "at")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`,
      [r.id, r.incident_id, r.number, r.kind, r.bytes, r.sha256, r.sealed_meta, r.sealed_key, r.storage, r.supersedes, r.actor, r.at],
    );
  }

  /** Marks `id` superseded by `by`; false when it already was (someone else corrected it first). */
  async supersede(m: EntityManager, id: string, by: string): Promise<boolean> {
    await m.query('UPDATE "attachment" SET "superseded_by" = ? WHERE "id" = ? AND "superseded_by" IS NULL', [by, id]);
    const [row]: { n: number }[] = await m.query('SELECT changes() AS "n"');
    return row.n === 1;
  }

  async get(m: EntityManager, incidentId: string, id: string): Promise<AttachmentRow | null> {
    const [row]: AttachmentRow[] = await m.query('SELECT * FROM "attachment" WHERE "incident_id" = ? AND "id" = ?', [incidentId, id]);
    return row ?? null;
  }

  async list(m: EntityManager, incidentId: string): Promise<AttachmentRow[]> {
    return m.query('SELECT * FROM "attachment" WHERE "incident_id" = ? ORDER BY "number"', [incidentId]);
  }
}
