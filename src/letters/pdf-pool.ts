import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FromWorker, PdfJob, ToWorker } from './pdf-worker';

/** Letters per message to a worker. */
export const CHUNK = 25;
/** Chunks sent to a worker and not yet written out by it: the bounded queue between the renderer and the worker. */
const AHEAD = 2;

interface Slot {
  worker: Worker;
  busy: boolean;
  /** The open file's handler of its worker's answers. */
  on: ((m: FromWorker) => void) | null;
}

/** One PDF file being written by one worker: its letters sent a chunk at a time, at most AHEAD chunks ahead of the worker. */
export interface PdfFileWriter {
  /** Sends letters; resolves once the worker has room for more. */
  write(letters: string[]): Promise<void>;
  /** The file is complete: its page count and each letter's first page. */
  end(): Promise<{ pages: number; starts: number[] }>;
  /** Gives the worker back after a failure on the caller's side (the partial file is left for the caller to remove). */
  abort(): Promise<void>;
}

/**
 * Worker threads that turn letters into PDF files, one file per worker at a time: pdfkit is
 * CPU-bound (about 450 one-page letters a second on one core), so a batch uses every core. Memory
 * stays flat however long the roster and however large the file: a caller waits for a free worker
 * before it opens a file, sends the file's letters a chunk at a time with at most AHEAD chunks
 * not yet laid out, and the worker writes its bytes out before it takes more.
 */
export class PdfPool {
  private readonly slots: Slot[];
  private readonly waiting: (() => void)[] = [];
  private closed = false;

  constructor(size = Math.max(1, Math.min(availableParallelism(), 4))) {
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: null as unknown as Worker, busy: false, on: null };
      this.spawn(slot);
      return slot;
    });
  }

  get size(): number {
    return this.slots.length;
  }

  private spawn(slot: Slot): void {
    const worker = startWorker();
    worker.on('message', (m: FromWorker) => slot.on?.(m));
    worker.on('error', (e: Error) => {
      // A worker that threw (or ran out of its heap) is gone: the open file fails, the slot gets a new worker.
      slot.on?.({ kind: 'error', error: e.message });
      worker.removeAllListeners();
      if (this.closed) return;
      this.spawn(slot);
    });
    slot.worker = worker;
  }

  /** A file on a free worker (waits for one). */
  async open(job: Omit<PdfJob, 'letters'>): Promise<PdfFileWriter> {
    let slot = this.slots.find((s) => !s.busy);
    while (!slot) {
      await new Promise<void>((r) => this.waiting.push(r));
      slot = this.slots.find((s) => !s.busy);
    }
    slot.busy = true;
    return this.writer(slot, job);
  }

  private writer(slot: Slot, job: Omit<PdfJob, 'letters'>): PdfFileWriter {
    let unacked = 0;
    let failure: Error | null = null;
    let finished = false;
    let room: { resolve: () => void; reject: (e: Error) => void } | null = null;
    let done: { resolve: (v: { pages: number; starts: number[] }) => void; reject: (e: Error) => void } | null = null;
    const release = () => {
      if (finished) return;
      finished = true;
      slot.on = null;
      slot.busy = false;
      this.waiting.shift()?.();
    };
    slot.on = (m) => {
      if (m.kind === 'ack') {
        unacked--;
        room?.resolve();
        room = null;
      } else if (m.kind === 'done') {
        release();
        done?.resolve({ pages: m.pages, starts: m.starts });
      } else {
        failure = new Error(`PDF rendering failed: ${m.error}`);
        release();
        room?.reject(failure);
        done?.reject(failure);
      }
    };
    const post = (m: ToWorker) => slot.worker.postMessage(m);
    post({ kind: 'open', path: job.path, title: job.title, ...(job.createdAt ? { createdAt: job.createdAt } : {}) });
    return {
      write: async (letters) => {
        if (failure) throw failure;
        if (!letters.length) return;
        post({ kind: 'letters', letters });
        unacked++;
        if (unacked >= AHEAD) await new Promise<void>((resolve, reject) => { room = { resolve, reject }; });
      },
      end: () => {
        if (failure) return Promise.reject(failure);
        const result = new Promise<{ pages: number; starts: number[] }>((resolve, reject) => { done = { resolve, reject }; });
        post({ kind: 'end' });
        return result;
      },
      abort: async () => {
        if (finished) return;
        await new Promise<void>((resolve) => {
          done = { resolve: () => resolve(), reject: () => resolve() };
          post({ kind: 'end' });
        });
      },
    };
  }

  /** A whole file from letters in memory (the bench's baseline; the renderer streams through open()). */
  async render(job: PdfJob): Promise<{ pages: number; starts: number[] }> {
    const file = await this.open(job);
    for (let i = 0; i < job.letters.length; i += CHUNK) await file.write(job.letters.slice(i, i + CHUNK));
    return file.end();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * A bounded heap per worker: V8 otherwise lets each worker's garbage pile up to hundreds of MB
 * before collecting it, and the batch's peak memory is the sum of every worker's (a worker's live
 * set is its fonts and one letter's pages: about 15 MB).
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8 };

function startWorker(): Worker {
  const file = join(__dirname, `pdf-worker${extname(__filename)}`);
  if (!file.endsWith('.ts')) return new Worker(file, { resourceLimits: RESOURCE_LIMITS });
  // Under ts (tests, benches): the worker's few modules are compiled here, once per pool, and the
  // worker runs them as plain JavaScript. Loading a TypeScript compiler in every worker cost each
  // one about 100 MB, which the product (compiled JavaScript) never pays.
  const modules = compiledGraph(file);
  const source = `
    const { workerData } = require('node:worker_threads');
    require.extensions['.ts'] = (m, f) => {
      const code = workerData.modules[f];
      if (code === undefined) throw new Error('pdf worker: ' + f + ' was not compiled for it (imported by a module of the worker?)');
      m._compile(code, f);
    };
    require(workerData.entry);`;
  return new Worker(source, { eval: true, workerData: { entry: file, modules }, resourceLimits: RESOURCE_LIMITS });
}

let graph: Record<string, string> | null = null;

/** The worker's module and the local modules it imports, transitively, compiled to CommonJS. */
function compiledGraph(entry: string): Record<string, string> {
  if (graph) return graph;
  const swc = require('@swc/core') as { transformSync(code: string, options: object): { code: string } };
  const out: Record<string, string> = {};
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (out[file] !== undefined) continue;
    const source = readFileSync(file, 'utf8');
    out[file] = swc.transformSync(source, {
      filename: file, sourceMaps: 'inline', module: { type: 'commonjs' },
      jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
    }).code;
    // Type-only imports are erased by the compiler: the worker never loads them.
    for (const [statement, rel] of source.matchAll(/^(?:import|export)\s[^;]*?from '(\.{1,2}\/[^']+)'/gm)) {
      if (!/^(?:import|export) type\s/.test(statement)) todo.push(resolve(dirname(file), `${rel}.ts`));
    }
  }
  graph = out;
  return out;
}
