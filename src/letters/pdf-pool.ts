import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PdfJob } from './pdf-worker';

interface Slot {
  worker: Worker;
  busy: boolean;
}

/**
 * Worker threads that turn letters into PDF files, one file per job: pdfkit is CPU-bound (about
 * 450 one-page letters a second on one core), so a batch uses every core, and each file has a
 * bounded number of letters so memory stays flat however long the roster is.
 */
export class PdfPool {
  private readonly slots: Slot[];
  private readonly waiting: (() => void)[] = [];

  constructor(size = Math.max(1, Math.min(availableParallelism(), 4))) {
    const file = join(__dirname, `pdf-worker${extname(__filename)}`);
    // Under ts (tests, benches) the worker compiles its TypeScript as it loads it.
    // A bounded heap per worker: V8 otherwise lets each worker's garbage pile up to hundreds of MB
    // before collecting it, and the batch's peak memory is the sum of every worker's.
    const resourceLimits = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };
    const options = file.endsWith('.ts')
      ? { eval: true, workerData: file, resourceLimits }
      : { resourceLimits };
    const source = file.endsWith('.ts') ? `require('@swc-node/register'); require(require('node:worker_threads').workerData);` : file;
    this.slots = Array.from({ length: size }, () => ({ worker: new Worker(source, options), busy: false }));
  }

  get size(): number {
    return this.slots.length;
  }

  async render(job: PdfJob): Promise<{ pages: number; starts: number[] }> {
    let slot = this.slots.find((s) => !s.busy);
    while (!slot) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
      slot = this.slots.find((s) => !s.busy);
    }
    slot.busy = true;
    try {
      return await new Promise((resolve, reject) => {
        const onError = (e: Error) => { cleanup(); reject(e); };
        const onMessage = (m: { ok: boolean; pages?: number; starts?: number[]; error?: string }) => {
          cleanup();
          if (m.ok) resolve({ pages: m.pages!, starts: m.starts! });
          else reject(new Error(`PDF rendering failed: ${m.error}`));
        };
        const cleanup = () => { slot!.worker.off('message', onMessage); slot!.worker.off('error', onError); };
        slot!.worker.on('message', onMessage);
        slot!.worker.on('error', onError);
        slot!.worker.postMessage(job);
      });
    } finally {
      slot.busy = false;
      this.waiting.shift()?.();
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
