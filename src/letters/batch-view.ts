import { BatchRow, BatchStatus } from './letter-batch.repository';

/** A letter batch as the API and the pages show it. */
export interface BatchView {
  id: string;
  status: BatchStatus;
  total: number;
  done: number;
  letters: number;
  emails: number;
  pages: number;
  files: string[];
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  sentOn: string | null;
}

/** What a batch's `detail` column holds. */
export interface BatchDetail { letters: number; emails: number; pages: number; files: string[] }

export function batchView(r: BatchRow): BatchView {
  const d = JSON.parse(r.detail) as Partial<BatchDetail>;
  return {
    id: r.id, status: r.status, total: Number(r.total), done: Number(r.done), letters: d.letters ?? 0, emails: d.emails ?? 0, pages: d.pages ?? 0, files: d.files ?? [],
    error: r.error, createdAt: r.created_at, finishedAt: r.finished_at, sentOn: r.sent_on,
  };
}
