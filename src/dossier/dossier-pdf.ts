import { Readable } from 'node:stream';
import { DossierStory } from '../domain/evidence/dossier-story';
import { newPdf } from '../letters/pdf-layout';

/** Lays the story out as a PDF (DejaVu Sans, US Letter), streamed: headings, paragraphs, rows. */
export function dossierPdf(story: DossierStory): Readable {
  const doc = newPdf(story.title);
  doc.font('Bold').fontSize(16).text(story.title).moveDown(0.8);
  for (const s of story.sections) {
    if (doc.y > doc.page.height - 160) doc.addPage();
    doc.font('Bold').fontSize(12.5).text(s.heading).moveDown(0.3);
    for (const p of s.paragraphs) doc.font('Body').fontSize(10).text(p, { lineGap: 1.5 }).moveDown(0.4);
    for (const [label, value] of s.rows) {
      doc.font('Bold').fontSize(9.5).text(label, { continued: false });
      doc.font('Body').fontSize(9.5).text(value, { indent: 14, lineGap: 1 }).moveDown(0.25);
    }
    doc.moveDown(0.6);
  }
  doc.end();
  return doc as unknown as Readable;
}
