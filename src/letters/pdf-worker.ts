import { createWriteStream, WriteStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { newPdf, Pdf, writeLetter } from './pdf-layout';

export interface PdfJob {
  path: string;
  title: string;
  letters: string[];
  /** The batch's creation time (ISO): the files' creation date. */
  createdAt?: string;
}

/** What the pool sends: a file opened, its letters a chunk at a time, then its end. */
export type ToWorker =
  | { kind: 'open'; path: string; title: string; createdAt?: string }
  | { kind: 'letters'; letters: string[] }
  | { kind: 'end' };

/** What a worker answers: a chunk laid out and written out (the pool may send another), the file whole, or why not. */
export type FromWorker = { kind: 'ack' } | { kind: 'done'; pages: number; starts: number[] } | { kind: 'error'; error: string };

interface Open {
  doc: Pdf;
  out: WriteStream;
  pages: number;
  starts: number[];
  failed: boolean;
}

/**
 * A worker thread: writes one PDF file (owner-only) at a time from the letters it is sent, a chunk
 * at a time, and answers each chunk once its bytes have left for the disk (so neither the letters
 * waiting nor the PDF written pile up in memory, whatever the file's size), then the file's page
 * count and each letter's first page.
 */
let file: Open | null = null;
const send = (m: FromWorker) => parentPort!.postMessage(m);

function fail(f: Open, error: string): void {
  if (f.failed) return;
  f.failed = true;
  file = null;
  f.out.destroy();
  send({ kind: 'error', error });
}

parentPort?.on('message', (m: ToWorker) => {
  let f = file;
  try {
    if (m.kind === 'open') {
      const doc = newPdf(m.title, m.createdAt ? new Date(m.createdAt) : undefined);
      const out = createWriteStream(m.path, { mode: 0o600 });
      const opened: Open = { doc, out, pages: 1, starts: [], failed: false };
      file = f = opened;
      doc.on('pageAdded', () => { opened.pages++; });
      // pdfkit pushes its bytes as it lays out, ignoring backpressure: they go straight to the file's
      // stream, and a chunk is acknowledged only when that stream has drained.
      doc.on('data', (c: Buffer) => out.write(c));
      doc.on('end', () => out.end());
      out.on('finish', () => { if (!opened.failed) send({ kind: 'done', pages: opened.pages, starts: opened.starts }); });
      out.on('error', (e) => fail(opened, e.message));
      return;
    }
    // Letters or an end for a file that failed already: the pool has its error (answering again
    // would reach the next file's handler).
    if (!f) return;
    const current = f;
    if (m.kind === 'letters') {
      for (const t of m.letters) writeLetter(current.doc, t, current.starts.length === 0, () => current.starts.push(current.pages));
      if (current.out.writableNeedDrain) current.out.once('drain', () => { if (!current.failed) send({ kind: 'ack' }); });
      else send({ kind: 'ack' });
      return;
    }
    file = null;
    current.doc.end();
  } catch (e) {
    if (f) fail(f, (e as Error).message);
    else send({ kind: 'error', error: (e as Error).message });
  }
});
