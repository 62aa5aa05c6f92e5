// Opens a PDF with pdf.js and prints each page's text items with their position, in points from
// the page's top left corner: {"pages": n, "items": [[{"str", "x", "y"}, ...], ...]}.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync } from 'node:fs';

const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), disableFontFace: true, verbosity: 0 }).promise;
const items = [];
for (let i = 1; i <= doc.numPages; i++) {
  const page = await doc.getPage(i);
  const height = page.getViewport({ scale: 1 }).height;
  const content = await page.getTextContent();
  items.push(content.items.filter((it) => it.str.trim() !== '').map((it) => ({ str: it.str, x: Math.round(it.transform[4]), y: Math.round(height - it.transform[5]) })));
}
process.stdout.write(JSON.stringify({ pages: doc.numPages, items }));
