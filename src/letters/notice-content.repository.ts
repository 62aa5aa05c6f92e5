import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../persistence/sql';

/** The "notice_content" table: one row per incident, the content as JSON text (no PHI). */
@Injectable()
export class NoticeContentRepository {
  async read(m: EntityManager, incidentId: string): Promise<string | null> {
    const row = await selectOne<{ content: string }>(m, 'SELECT "content" FROM "notice_content" WHERE "incident_id" = $1', [incidentId]);
    return row?.content ?? null;
  }

  write(m: EntityManager, incidentId: string, content: string, actor: string, at: string): Promise<number> {
    return execute(m,
      `INSERT INTO "notice_content" ("incident_id", "content", "updated_by", "updated_at") VALUES ($1, $2, $3, $4)
       ON CONFLICT ("incident_id") DO UPDATE SET "content" = excluded."content", "updated_by" = excluded."updated_by", "updated_at" = excluded."updated_at"`,
      [incidentId, content, actor, at]);
  }
}
