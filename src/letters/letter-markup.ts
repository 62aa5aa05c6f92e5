/**
 * The letters' light markup: `# ` a title, `## ` a heading, `- ` a bullet, a blank line between
 * paragraphs, a single newline a line break (addresses); a line starting with `\` is literal text. Shared by the PDF, HTML and email forms.
 */
export type Block = { kind: 'title' | 'heading' | 'paragraph'; lines: string[]; place?: Place } | { kind: 'bullets'; items: string[] };

/**
 * Where the PDF puts a paragraph a template marks with a line `@@ return`, `@@ recipient` or
 * `@@ aside` before it: the return address and the recipient in a #10 double-window envelope's
 * windows, the letterhead's phone and the date at the top right. HTML and text ignore the marks.
 */
export const PLACES = ['return', 'recipient', 'aside'] as const;
export type Place = (typeof PLACES)[number];
const MARK = /^@@ (return|recipient|aside)$/;

/** The letter as plain text (an email's text part, the text download): the placement marks removed. */
export function plainText(text: string): string {
  return text.split('\n').filter((l) => !MARK.test(l.trim())).join('\n');
}

export function blocks(text: string): Block[] {
  const out: Block[] = [];
  for (const chunk of text.split(/\n\s*\n/)) {
    const lines = chunk.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '');
    let para: string[] = [];
    let place: Place | undefined;
    const flush = () => { if (para.length) out.push({ kind: 'paragraph', lines: para, ...(place ? { place } : {}) }); para = []; place = undefined; };
    for (const line of lines) {
      const mark = MARK.exec(line.trim());
      if (mark) { flush(); place = mark[1] as Place; }
      else if (line.trimStart().startsWith('\\')) para.push(line.trimStart().slice(1)); // a literal line (see literalLines)
      else if (line.startsWith('# ')) { flush(); out.push({ kind: 'title', lines: [line.slice(2)] }); }
      else if (line.startsWith('## ')) { flush(); out.push({ kind: 'heading', lines: [line.slice(3)] }); }
      else if (line.startsWith('- ')) {
        flush();
        const last = out[out.length - 1];
        if (last?.kind === 'bullets') last.items.push(line.slice(2));
        else out.push({ kind: 'bullets', items: [line.slice(2)] });
      } else para.push(line);
    }
    flush();
  }
  return out;
}
