import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newPdf, writeLetter } from '../src/letters/pdf-layout';
import { CHUNK, PdfPool } from '../src/letters/pdf-pool';

/**
 * The PDF workers behind the letter batches: a file's letters go to a worker a chunk at a time
 * (the bounded queue between the renderer and the workers), and the file is the same bytes as the
 * letters laid out in one document in-process; a file that fails frees its worker for the next.
 */

const CREATED = '2026-03-10T15:00:00.000Z';
const letter = (i: number) => `@@ recipient\nPerson ${i}\n1 Main St\nSpringfield, NY 10001\n\n# Notice of a data breach\nReference: BF-2026-0007\n\nDear Person ${i},\n\n## What happened\nA laptop was stolen.\n`;

function inProcess(letters: string[]): Promise<Buffer> {
  const doc = newPdf('pool test', new Date(CREATED));
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  letters.forEach((t, i) => writeLetter(doc, t, i === 0));
  doc.end();
  return done;
}

describe('PdfPool', () => {
  let dir: string;
  let pool: PdfPool;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bf-pool-'));
    pool = new PdfPool(1);
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a file sent in chunks byte for byte as one in-process document, with each letter\'s first page', async () => {
    const letters = Array.from({ length: CHUNK * 3 + 7 }, (_x, i) => letter(i));
    const path = join(dir, 'a.pdf');
    const file = await pool.open({ path, title: 'pool test', createdAt: CREATED });
    for (let i = 0; i < letters.length; i += 10) await file.write(letters.slice(i, i + 10));
    const { pages, starts } = await file.end();
    expect(pages).toBe(letters.length);
    expect(starts).toEqual(letters.map((_x, i) => i + 1));
    expect(readFileSync(path).equals(await inProcess(letters))).toBe(true);
  });

  it('a file that cannot be written fails with the reason and its worker takes the next file', async () => {
    await expect(pool.render({ path: join(dir, 'missing', 'b.pdf'), title: 'pool test', letters: [letter(1)], createdAt: CREATED })).rejects.toThrow(/PDF rendering failed: ENOENT/);
    const again = await pool.render({ path: join(dir, 'c.pdf'), title: 'pool test', letters: [letter(1), letter(2)], createdAt: CREATED });
    expect(again).toEqual({ pages: 2, starts: [1, 2] });
  });

  it('a letter the layout cannot take fails its file (once) and the worker takes the next', async () => {
    const file = await pool.open({ path: join(dir, 'd.pdf'), title: 'pool test', createdAt: CREATED });
    await expect((async () => { await file.write([null as unknown as string]); await file.end(); })()).rejects.toThrow(/PDF rendering failed/);
    expect(await pool.render({ path: join(dir, 'e.pdf'), title: 'pool test', letters: [letter(3)], createdAt: CREATED })).toEqual({ pages: 1, starts: [1] });
  });
});
