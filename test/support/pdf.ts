import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Reads a PDF back with pdf.js in a child process: its page count and each page's text. */
export async function readPdf(path: string): Promise<{ pages: number; text: string[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'read-pdf.mjs'), path], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as { pages: number; text: string[] };
}

export interface PdfItem { str: string; x: number; y: number }

/** Each page's text items with their position in points from the page's top left (pdf.js, in a child process). */
export async function readPdfLayout(path: string): Promise<{ pages: number; items: PdfItem[][] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(__dirname, 'read-pdf-layout.mjs'), path], { maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(stdout) as { pages: number; items: PdfItem[][] };
}
