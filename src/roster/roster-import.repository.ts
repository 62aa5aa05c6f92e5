import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne, selectRows } from '../persistence/sql';
import type { ImportMode, ImportSummary } from './roster.types';

/** An import as stored: its status and progress, and the summary once it is known. */
export interface ImportRow {
  id: string;
  status: ImportSummary['status'];
  mode: ImportMode;
  rows_read: number;
  summary: string | null;
}

const COLUMNS = '"id", "status", "mode", "rows_read", "summary"';

/** The roster_import table's SQL, and nothing else. */
@Injectable()
export class RosterImportRepository {
  /** The id of an import still running for the incident, or null. */
  async runningFor(m: EntityManager, incidentId: string): Promise<string | null> {
    const row = await selectOne<{ id: string }>(m, `SELECT "id" FROM "roster_import" WHERE "incident_id" = $1 AND "status" = 'running'`, [incidentId]);
    return row?.id ?? null;
  }

  /** The import if it is still running (a lease that expired may find it already finished). */
  running(m: EntityManager, importId: string): Promise<ImportRow | null> {
    return selectOne<ImportRow>(m, `SELECT ${COLUMNS} FROM "roster_import" WHERE "id" = $1 AND "status" = 'running'`, [importId]);
  }

  async insertRunning(m: EntityManager, r: { id: string; incidentId: string; mode: ImportMode; actor: string; startedAt: string }): Promise<void> {
    await execute(m, `INSERT INTO "roster_import" ("id", "incident_id", "status", "mode", "actor", "started_at") VALUES ($1, $2, 'running', $3, $4, $5)`,
      [r.id, r.incidentId, r.mode, r.actor, r.startedAt]);
  }

  async setRowsRead(m: EntityManager, importId: string, rowsRead: number): Promise<void> {
    await execute(m, 'UPDATE "roster_import" SET "rows_read" = $1 WHERE "id" = $2', [rowsRead, importId]);
  }

  async saveSummary(m: EntityManager, importId: string, summary: ImportSummary, finishedAt: string): Promise<void> {
    await execute(m, 'UPDATE "roster_import" SET "status" = $1, "rows_read" = $2, "summary" = $3, "finished_at" = $4 WHERE "id" = $5',
      [summary.status, summary.rowsRead, JSON.stringify(summary), finishedAt, importId]);
  }

  recent(m: EntityManager, incidentId: string, limit: number): Promise<ImportRow[]> {
    return selectRows<ImportRow>(m, `SELECT ${COLUMNS} FROM "roster_import" WHERE "incident_id" = $1 ORDER BY "started_at" DESC LIMIT $2`, [incidentId, limit]);
  }

  get(m: EntityManager, incidentId: string, importId: string): Promise<ImportRow | null> {
    return selectOne<ImportRow>(m, `SELECT ${COLUMNS} FROM "roster_import" WHERE "incident_id" = $1 AND "id" = $2`, [incidentId, importId]);
  }
}
