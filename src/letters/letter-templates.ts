import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/config';
import { datoPhi, fecha } from './spanish';
import { blocks } from './letter-markup';

// The markup lives in its own module so the PDF workers load it without Handlebars; re-exported here for its users.
export { blocks, plainText, PLACES } from './letter-markup';
export type { Block, Place } from './letter-markup';

const LOCALIZED = /^individual(?:-next-of-kin|-guardian)?\.[a-z]{2}\.hbs$/;

export const LETTER_TEMPLATES = [
  'individual', 'individual-next-of-kin', 'individual-guardian', 'substitute-web', 'substitute-media', 'substitute-alternative',
  'media-release', 'ba-notice', 'insurer-fnol', 'hhs-report.html',
] as const;
export type LetterTemplate = (typeof LETTER_TEMPLATES)[number];

/**
 * The letters' Handlebars templates, from templates/letters/ (partials in partials/), each of
 * which a practice can replace by a file of the same name under its override folder
 * (TEMPLATES_DIR/letters/...): its letterhead, its wording, without touching code. Strict mode:
 * a template asking for a field the model lacks fails instead of printing a hole.
 */
export class LetterTemplates {
  private readonly hbs = Handlebars.create();
  private readonly compiled = new Map<string, HandlebarsTemplateDelegate>();

  constructor(overrideDir: string, baseDir = join(PROJECT_ROOT, 'templates')) {
    const pick = (rel: string) => {
      const own = join(overrideDir, 'letters', rel);
      return existsSync(own) ? own : join(baseDir, 'letters', rel);
    };
    for (const file of readdirSync(join(baseDir, 'letters', 'partials'))) {
      if (file.endsWith('.hbs')) this.hbs.registerPartial(file.slice(0, -4), readFileSync(pick(join('partials', file)), 'utf8'));
    }
    for (const name of LETTER_TEMPLATES) {
      const html = name.endsWith('.html');
      this.compiled.set(name, this.hbs.compile(readFileSync(pick(`${name}.hbs`), 'utf8'), { strict: true, noEscape: !html }));
    }
    // A letter in another language: individual.es.hbs beside individual.hbs (shipped, or the practice's own).
    this.hbs.registerHelper('fecha', fecha);
    this.hbs.registerHelper('datoPhi', datoPhi);
    const localized = new Set<string>();
    for (const dir of [join(baseDir, 'letters'), join(overrideDir, 'letters')]) {
      if (!existsSync(dir)) continue;
      for (const file of readdirSync(dir)) if (LOCALIZED.test(file)) localized.add(file.slice(0, -4));
    }
    for (const name of localized) this.compiled.set(name, this.hbs.compile(readFileSync(pick(`${name}.hbs`), 'utf8'), { strict: true, noEscape: true }));
  }

  render(name: LetterTemplate, model: object): string {
    return tidy(this.compiled.get(name)!(model));
  }

  /**
   * A person's letter in their language when there is a template for it (`individual.es`), else in
   * English; says which language it used, for the mailing manifest.
   */
  renderIn(name: LetterTemplate, model: object, language: string | undefined): { text: string; language: string } {
    const own = language ? this.compiled.get(`${name}.${language}`) : undefined;
    if (!own) return { text: this.render(name, model), language: language ? `en (no ${language} template)` : 'en' };
    return { text: tidy(own(model)), language: language! };
  }
}

const SPACE = /\s/;

/**
 * A rendered letter with blank lines collapsed (never two in a row), trimmed, ending in one line
 * break: `text.replace(/\n{3,}/g, '\n\n').trim() + '\n'`, the same string, without copying the
 * letter when there is nothing to change. The shipped templates leave no run of blank lines (the
 * collapse runs only for a practice's own template or text), and a letter already trimmed and ending
 * in one line break is answered as it is (docs/letters-performance.md, "A letter's render").
 */
export function tidy(text: string): string {
  const s = text.includes('\n\n\n') ? text.replace(/\n{3,}/g, '\n\n') : text;
  const n = s.length;
  if (n > 1 && s.charCodeAt(n - 1) === 10 && !SPACE.test(s[n - 2]) && !SPACE.test(s[0])) return s;
  return s.trim() + '\n';
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

export function markupToHtml(text: string, title: string): string {
  const body = blocks(text).map((b) => {
    if (b.kind === 'bullets') return `<ul>${b.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    const inner = b.lines.map(escapeHtml).join('<br>');
    return b.kind === 'title' ? `<h1>${inner}</h1>` : b.kind === 'heading' ? `<h2>${inner}</h2>` : `<p>${inner}</p>`;
  }).join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>`
    + '<style>body{font-family:Georgia,serif;max-width:40rem;margin:2rem auto;line-height:1.45;color:#111}h1{font-size:1.3rem}h2{font-size:1.05rem;margin-top:1.4rem}</style>'
    + `</head><body>\n${body}\n</body></html>\n`;
}
