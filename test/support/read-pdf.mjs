// Opens a PDF with pdf.js (Mozilla's parser, not the library that wrote it) and prints
// {"pages": n, "text": ["page 1 text", ...]} as JSON. pdf.js ships as ES modules only, so the
// Jest tests run it as a child process (test/support/pdf.ts).
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFileSync } from 'node:fs';

const doc = await getDocument({ data: new Uint8Array(readFileSync(process.argv[2])), disableFontFace: true, verbosity: 0 }).promise;
const text = [];
for (let i = 1; i <= doc.numPages; i++) {
  const content = await (await doc.getPage(i)).getTextContent();
  text.push(content.items.map((item) => item.str + (item.hasEOL ? '\n' : '')).join(''));
}
process.stdout.write(JSON.stringify({ pages: doc.numPages, text }));
