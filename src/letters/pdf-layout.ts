import PDFDocument from 'pdfkit';
import { blocks } from './letter-templates';

export type Pdf = InstanceType<typeof PDFDocument>;

/**
 * DejaVu Sans (from the dejavu-fonts-ttf package, embedded as a subset): PDF's standard Helvetica
 * covers Latin-1 only and prints "Nguyễn Thị Bích" or "Łukasz" as garbage, on a legal notice.
 */
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** A US Letter document with one-inch margins. */
export function newPdf(title: string): Pdf {
  const doc = new PDFDocument({ size: 'LETTER', margin: 72, info: { Title: title, Producer: 'breachflow' } });
  doc.registerFont('Body', REGULAR);
  doc.registerFont('Bold', BOLD);
  return doc;
}

/**
 * Lays out one letter in the letters' markup, starting on a new page: each letter is its own page
 * set, so a print house can split the file by letter.
 */
export function writeLetter(doc: Pdf, text: string, first: boolean, started?: () => void): void {
  if (!first) doc.addPage();
  started?.();
  for (const b of blocks(text)) {
    if (b.kind === 'bullets') {
      doc.font('Body').fontSize(10.5);
      for (const item of b.items) doc.text(`\u2022  ${item}`, { indent: 12 });
      doc.moveDown(0.5);
    } else if (b.kind === 'title') {
      doc.font('Bold').fontSize(13).text(b.lines.join('\n')).moveDown(0.4);
    } else if (b.kind === 'heading') {
      doc.font('Bold').fontSize(11).text(b.lines.join('\n')).moveDown(0.2);
    } else {
      doc.font('Body').fontSize(10.5).text(b.lines.join('\n'), { lineGap: 1.5 }).moveDown(0.6);
    }
  }
}

/** Renders letters into one PDF in memory (a single document for download). */
export function pdfBuffer(title: string, letters: string[]): Promise<Buffer> {
  const doc = newPdf(title);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  letters.forEach((t, i) => writeLetter(doc, t, i === 0));
  doc.end();
  return done;
}
