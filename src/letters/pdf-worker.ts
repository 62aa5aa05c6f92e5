import { createWriteStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { newPdf, writeLetter } from './pdf-layout';

export interface PdfJob {
  path: string;
  title: string;
  letters: string[];
  /** The batch's creation time (ISO): the files' creation date. */
  createdAt?: string;
}

/** A worker thread: writes one PDF file (owner-only) of letters and answers with its page count and each letter's first page. */
parentPort?.on('message', (job: PdfJob) => {
  const doc = newPdf(job.title, job.createdAt ? new Date(job.createdAt) : undefined);
  let pages = 1;
  doc.on('pageAdded', () => { pages++; });
  const out = createWriteStream(job.path, { mode: 0o600 });
  const starts: number[] = [];
  out.on('finish', () => parentPort!.postMessage({ ok: true, pages, starts }));
  out.on('error', (e) => parentPort!.postMessage({ ok: false, error: e.message }));
  doc.pipe(out);
  try {
    job.letters.forEach((t, i) => {
      writeLetter(doc, t, i === 0, () => starts.push(pages));
    });
    doc.end();
  } catch (e) {
    parentPort!.postMessage({ ok: false, error: (e as Error).message });
  }
});
