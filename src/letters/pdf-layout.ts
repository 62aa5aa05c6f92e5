import PDFDocument from 'pdfkit';
import { Block, blocks, Place } from './letter-markup';

export type Pdf = InstanceType<typeof PDFDocument>;

/**
 * DejaVu Sans (from the dejavu-fonts-ttf package, embedded as a subset): PDF's standard Helvetica
 * covers Latin-1 only and prints "Nguyễn Thị Bích" or "Łukasz" as garbage, on a legal notice.
 */
const REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

const IN = 72;
const PAGE = { width: 8.5 * IN, height: 11 * IN };
const MARGIN = IN;
/** The lowest a line of the body may end. */
const BOTTOM = PAGE.height - 0.6 * IN;
const BODY = { x: MARGIN, width: PAGE.width - 2 * MARGIN };

/** The envelope the letters are laid out for, named in the mailing manifest. */
export const ENVELOPE = '#10 double window';

/**
 * Where a #10 double-window envelope shows a letter folded in three: the return address in the
 * upper window, the recipient in the lower one (positions from the sheet's top left corner). The
 * letterhead's phone and the date sit at the top right, outside both windows.
 */
export const WINDOWS: Record<Place, { x: number; y: number; width: number }> = {
  return: { x: 0.5 * IN, y: 0.5 * IN, width: 3.25 * IN },
  recipient: { x: 0.875 * IN, y: 2.125 * IN, width: 3.75 * IN },
  aside: { x: 5 * IN, y: 0.5 * IN, width: 3 * IN },
};
/** The body starts below the recipient window (and the fold at a third of the page is crossed by text, as usual). */
const BODY_TOP_AFTER_WINDOWS = 3.1 * IN;

/** Font sizes tried, largest first, to keep a letter to one page when its content allows. */
const SCALES = [1, 0.95, 0.9] as const;

/** A US Letter document with one-inch margins; pages are buffered so each letter's pages can be numbered "page 2 of 2". */
/** `created` is the document's creation date (default now): a batch's files carry the batch's, so any renderer writes the same bytes. */
export function newPdf(title: string, created?: Date): Pdf {
  const info = { Title: title, Producer: 'breachflow', ...(created ? { CreationDate: created } : {}) };
  const doc = new PDFDocument({ size: 'LETTER', margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: PAGE.height - BOTTOM }, bufferPages: true, info });
  doc.registerFont('Body', REGULAR);
  doc.registerFont('Bold', BOLD);
  return doc;
}

interface Style { font: 'Body' | 'Bold'; size: number; lineGap: number; after: number }

function styleOf(b: Block, scale: number): Style {
  const s = (n: number) => n * scale;
  if (b.kind === 'title') return { font: 'Bold', size: s(13), lineGap: 0, after: s(5) };
  if (b.kind === 'heading') return { font: 'Bold', size: s(11), lineGap: 0, after: s(2.5) };
  if (b.kind === 'bullets') return { font: 'Body', size: s(10.5), lineGap: s(1), after: s(6) };
  return { font: 'Body', size: s(10.5), lineGap: s(1.5), after: s(6.5) };
}

const textOf = (b: Block) => (b.kind === 'bullets' ? b.items.map((i) => `\u2022  ${i}`).join('\n') : b.lines.join('\n'));

function height(doc: Pdf, b: Block, scale: number): number {
  const st = styleOf(b, scale);
  doc.font(st.font).fontSize(st.size);
  return doc.heightOfString(textOf(b), { width: BODY.width, lineGap: st.lineGap }) + st.after;
}

function lineHeight(doc: Pdf, b: Block, scale: number): number {
  const st = styleOf(b, scale);
  doc.font(st.font).fontSize(st.size);
  return doc.currentLineHeight(true) + st.lineGap;
}

/** The body's top on the first page: under the windows when the letter is addressed, else the margin. */
function firstTop(placed: Block[]): number {
  return placed.length ? BODY_TOP_AFTER_WINDOWS : MARGIN;
}

/**
 * The largest scale at which the body fits on the first page; null when none does. Heights are
 * measured once at full size and scaled: smaller type wraps into no more lines, so the estimate
 * never says a letter fits when it does not (wrapping text is most of a letter's layout cost).
 */
function oneHappyPage(full: number[], top: number): number | null {
  const total = full.reduce((sum, h) => sum + h, 0);
  return SCALES.find((scale) => top + total * scale <= BOTTOM) ?? null;
}

function placeBlocks(doc: Pdf, placed: Block[]): void {
  const next: Partial<Record<Place, number>> = {};
  for (const b of placed) {
    if (b.kind === 'bullets' || !b.place) continue;
    const w = WINDOWS[b.place];
    const y = next[b.place] ?? w.y;
    const [first, ...rest] = b.lines;
    // The practice's name leads its return address in bold; the recipient's window holds five lines at most.
    doc.font(b.place === 'return' ? 'Bold' : 'Body').fontSize(b.place === 'aside' ? 9 : 10);
    doc.text(first, w.x, y, { width: w.width, align: b.place === 'aside' ? 'right' : 'left' });
    doc.font('Body');
    const lines = b.place === 'recipient' ? rest.slice(0, 4) : rest;
    if (lines.length) doc.text(lines.join('\n'), w.x, doc.y, { width: w.width, align: b.place === 'aside' ? 'right' : 'left' });
    next[b.place] = doc.y + 4;
  }
}

/**
 * Lays out one letter in the letters' markup, starting on a new page (a print house splits the
 * file by letter). The addresses go in the envelope's windows; the body keeps to one page when a
 * slightly smaller type lets it; otherwise a heading is never left at a page's foot without the
 * start of what it heads, and every page after the first says whose letter it is, its reference
 * and "page 2 of 2".
 */
export function writeLetter(doc: Pdf, text: string, first: boolean, started?: () => void): void {
  if (!first) doc.addPage();
  started?.();
  const all = blocks(text);
  const placed = all.filter((b) => b.kind !== 'bullets' && b.place);
  const flow = all.filter((b) => b.kind === 'bullets' || !b.place);
  const startPage = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;
  placeBlocks(doc, placed);
  const top = firstTop(placed);
  const full = flow.map((b) => height(doc, b, 1));
  const scale = oneHappyPage(full, top) ?? SCALES[0];
  let y = top;
  flow.forEach((b, i) => {
    const st = styleOf(b, scale);
    const h = full[i] * scale;
    const isHeading = b.kind === 'title' || b.kind === 'heading';
    // Keep a heading with the first lines of what follows it.
    const next = flow[i + 1];
    const need = isHeading && next ? h + Math.min(full[i + 1] * scale, 3 * lineHeight(doc, next, scale)) : Math.min(h, 2 * lineHeight(doc, b, scale));
    if (y + need > BOTTOM) { doc.addPage(); y = MARGIN; }
    doc.font(st.font).fontSize(st.size);
    if (b.kind === 'bullets') {
      for (const item of b.items) {
        const ih = doc.heightOfString(`\u2022  ${item}`, { width: BODY.width - 12, lineGap: st.lineGap });
        if (y + ih > BOTTOM) { doc.addPage(); y = MARGIN; doc.font(st.font).fontSize(st.size); }
        doc.text(`\u2022  ${item}`, BODY.x + 12, y, { width: BODY.width - 12, lineGap: st.lineGap });
        y = doc.y;
      }
      y += st.after;
      return;
    }
    // A paragraph longer than the room left flows on to the next page (pdfkit breaks it by lines).
    doc.text(textOf(b), BODY.x, y, { width: BODY.width, lineGap: st.lineGap });
    y = doc.y + st.after;
  });
  numberPages(doc, startPage, all);
}

/** "Lakeside Family Medicine · Reference BF-2026-0007 · page 2 of 2" at the top of every page after a letter's first. */
function numberPages(doc: Pdf, startPage: number, all: Block[]): void {
  const range = doc.bufferedPageRange();
  const last = range.start + range.count - 1;
  const pages = last - startPage + 1;
  if (pages > 1) {
    const from = all.find((b) => b.kind !== 'bullets' && b.place === 'return');
    const practice = from && from.kind !== 'bullets' ? from.lines[0] : '';
    const reference = all.flatMap((b) => (b.kind === 'bullets' ? [] : b.lines)).map((l) => /^(?:Reference|Referencia): (.+)$/.exec(l)?.[1]).find(Boolean);
    for (let p = startPage + 1; p <= last; p++) {
      doc.switchToPage(p);
      const words = [practice, reference ? `Reference ${reference}` : '', `page ${p - startPage + 1} of ${pages}`].filter(Boolean).join(' \u00b7 ');
      doc.font('Body').fontSize(8.5).text(words, MARGIN, 0.5 * IN, { width: BODY.width, align: 'right', lineBreak: false });
    }
    doc.switchToPage(last);
  }
  // The letter is done: its pages can leave memory.
  doc.flushPages();
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
