import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Reads a PDF back with pdf.js in a child process: its page count and each page's text. */
export async function readPdf(path: string): Promise<{ pages: number; text: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'read-pdf.mjs'), path], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as { pages: number; text: string[] };
}
