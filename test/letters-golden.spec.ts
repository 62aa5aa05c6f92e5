import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DocumentInputs, letterFor, longDate, noticeModel, NoticeModel,
} from '../src/domain/letters/documents';
import { baNoticeModel, insurerModel } from '../src/domain/letters/partner-notices';
import { mediaModel, substituteModel } from '../src/domain/letters/public-notices';
import { annualLogRow, ANNUAL_LOG_COLUMNS, hhsReport } from '../src/domain/letters/hhs-report';
import { createIncidentMachine } from '../src/domain/lifecycle/incident.machine';
import { startIncident, step } from '../src/domain/lifecycle/incident-snapshot';
import { IncidentEvent } from '../src/domain/lifecycle/incident.types';
import { RosterPerson } from '../src/domain/roster/roster';
import { csvLine } from '../src/letters/csv';
import { LetterTemplate, LetterTemplates, markupToHtml } from '../src/letters/letter-templates';
import { hhsPage } from '../src/letters/hhs-page';
import { shippedPack } from './factories/facts';
import { golden } from './support/golden';

/**
 * Golden files: each document rendered from fixed inputs, compared with test/golden/. A change in
 * wording shows as a diff to review; UPDATE_GOLDEN=1 rewrites them after a deliberate change.
 */


const machine = createIncidentMachine(shippedPack);
function contextAfter(facts: object, events: IncidentEvent[]) {
  let s = startIncident(machine, { reference: 'BF-2026-0007', summary: 'Stolen laptop', facts: facts as never });
  for (const e of events) s = step(machine, s, e);
  return s.context;
}

const ce = contextAfter(
  { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'CA' }, affected: { total: 1200, byJurisdiction: { CA: 700, NV: 400 }, insufficientContact: 12 } },
  [{ type: 'triage.started' }, { type: 'incident.accepted' }, { type: 'insurance.policyRecorded', carrier: 'Example Mutual', policyNumber: 'CY-2291', noticeWindowDays: 3 }],
);

const inputs: DocumentInputs = {
  practiceName: 'Lakeside Family Medicine',
  contact: {
    tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', website: 'https://lakeside.example/notice',
    postalAddress: { line1: '1 Harbor Way', line2: 'Suite 200', city: 'Sacramento', state: 'CA', postalCode: '95814' },
    signatoryName: 'Pat Privacy', signatoryTitle: 'Privacy Officer', entityType: 'Healthcare Provider',
    contactPersonName: 'Pat Privacy', contactPersonPhone: '916-555-0100', contactPersonEmail: 'privacy@lakeside.example', broker: 'Harbor Brokers LLC',
  },
  content: {
    whatHappened: "A laptop holding appointment lists was stolen from a staff member's car. It was not encrypted.",
    breachDates: { start: '2026-02-27', end: '2026-03-01' },
    phiTypes: ['name', 'date_of_birth', 'diagnosis'],
    otherPhi: 'appointment times',
    stepsForIndividuals: 'Review the statements from your health insurer and tell us about any service you did not receive.',
    whatWeAreDoing: 'We reported the theft to the police, are encrypting every laptop, and retrained our staff.',
    creditMonitoring: 'We are offering 12 months of free credit monitoring; call us to enroll.',
    typeOfBreach: ['theft'], locations: ['laptop'], safeguardsInPlace: ['privacy_rule', 'security_physical'], actionsTaken: ['encryption', 'training'],
    howDiscovered: 'The staff member called the practice manager on the morning of March 2.',
    systemsAffected: 'One laptop (no network access from it)',
  },
  context: ce,
  today: '2026-03-20',
};

const person = (over: Partial<RosterPerson>): RosterPerson => ({
  name: 'Zebulon Quackenbush', address: { line1: '12 Elm St', line2: '', city: 'Fresno', state: 'CA', postalCode: '93721' }, residentState: 'CA',
  email: null, emailConsent: false, status: 'living', representative: null, ...over,
});

describe('letters: golden files', () => {
  const tpl = new LetterTemplates('/nonexistent-override');
  const notice = noticeModel(inputs);
  if (!notice.ok) throw new Error('fixture incomplete');
  const n: NoticeModel = notice.model;

  it.each([
    ['individual.txt', person({})],
    ['individual-next-of-kin.txt', person({ status: 'deceased', representative: { name: 'Beatrix Quackenbush', role: 'next_of_kin' } })],
    ['individual-guardian.txt', person({ name: 'Tobias Quackenbush', status: 'minor', representative: { name: 'Rosalind Quackenbush', role: 'guardian' } })],
  ])('%s', (file, p) => {
    const { variant, model } = letterFor(n, p);
    golden(file, tpl.render(variant, model));
  });

  it('individual.es.txt: a person whose roster row says es gets the Spanish letter; a language without a template gets English, and says so', () => {
    const { variant, model } = letterFor(n, person({ language: 'es' }));
    const es = tpl.renderIn(variant, model, 'es');
    expect(es.language).toBe('es');
    golden('individual.es.txt', es.text);
    expect(es.text).toContain('La filtración ocurrió entre el 27 de febrero de 2026 y el 1 de marzo de 2026.');
    expect(tpl.renderIn(variant, model, 'vi')).toEqual({ text: tpl.render(variant, model), language: 'en (no vi template)' });
  });

  it('the email form of a letter is the same text as HTML', () => {
    const { variant, model } = letterFor(n, person({}));
    golden('individual.html', markupToHtml(tpl.render(variant, model), 'Notice of a data breach'));
  });

  it('substitute notice: web posting and media (10 or more unreachable)', () => {
    const s = substituteModel(n, inputs, '2026-03-20');
    if (!s.ok) throw new Error(s.reason);
    expect(s.model.form).toBe('web_or_media_with_toll_free');
    golden('substitute-web.txt', tpl.render('substitute-web', s.model));
    golden('substitute-media.txt', tpl.render('substitute-media', s.model));
  });

  it('alternative notice (1 to 9 unreachable)', () => {
    const few = { ...inputs, context: contextAfter({ ...ce.facts, affected: { ...ce.facts.affected, insufficientContact: 3 } }, []) };
    const s = substituteModel(n, few, '2026-03-20');
    if (!s.ok) throw new Error(s.reason);
    golden('substitute-alternative.txt', tpl.render('substitute-alternative' as LetterTemplate, s.model));
  });

  it('media notice for a state over 500, refused for one under', () => {
    const m = mediaModel(n, inputs, 'CA');
    if (!m.ok) throw new Error(m.reason);
    golden('media-release-CA.txt', tpl.render('media-release', m.model));
    expect(mediaModel(n, inputs, 'NV')).toEqual({ ok: false, reason: 'no media notice is required for NV: 400 residents affected, and 45 CFR 164.406 asks for one only above 500' });
  });

  it('the HHS report, as JSON and as the printable page', () => {
    const report = hhsReport(ce, inputs.content, inputs.practiceName, inputs.contact);
    golden('hhs-report.json', `${JSON.stringify(report, null, 2)}\n`);
    golden('hhs-report.html', tpl.render('hhs-report.html', hhsPage('BF-2026-0007', longDate(inputs.today), report)));
  });

  it('the annual log row', () => {
    const small = contextAfter({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 40, byJurisdiction: { CA: 40 } } }, []);
    const row = annualLogRow(small, inputs.content);
    golden('annual-log.csv', csvLine([...ANNUAL_LOG_COLUMNS]) + csvLine(ANNUAL_LOG_COLUMNS.map((k) => row[k])));
  });

  it("the business associate's notice with the list of individuals", () => {
    const ba = contextAfter({ discovery: { date: '2026-03-02' }, entity: { type: 'business_associate' }, affected: { total: 2 } }, []);
    const r = baNoticeModel({ ...inputs, practiceName: 'Acme Billing Services', context: ba, content: { ...inputs.content, coveredEntityName: 'Lakeside Family Medicine' } },
      [{ seq: 1, person: person({}) }, { seq: 2, person: person({ name: 'Cornelius Abernathy', status: 'deceased', representative: { name: 'Beatrix Abernathy', role: 'personal_representative' } }) }]);
    if (!r.ok) throw new Error(r.reason);
    golden('ba-notice.txt', tpl.render('ba-notice', r.model));
    expect(baNoticeModel(inputs, [])).toMatchObject({ ok: false, reason: expect.stringMatching(/is for a business associate/) });
  });

  it("the insurer's first notice of loss", () => {
    const r = insurerModel(inputs);
    if (!r.ok) throw new Error('missing');
    golden('insurer-fnol.txt', tpl.render('insurer-fnol', r.model));
  });
});

describe('letters: a notice missing a required element is not rendered', () => {
  it('lists every missing element with its rule', () => {
    const r = noticeModel({ ...inputs, practiceName: null, contact: { website: 'https://x.example' }, content: { whatHappened: 'x' } });
    expect(r).toEqual({
      ok: false,
      missing: [
        { element: "the practice's name", field: 'settings.practiceName', citation: '45 CFR 164.404(c)(1)' },
        { element: 'the date of the breach, or "unknown" if it is not known', field: 'noticeContent.breachDates', citation: '45 CFR 164.404(c)(1)(A)' },
        { element: 'the types of unsecured PHI involved', field: 'noticeContent.phiTypes', citation: '45 CFR 164.404(c)(1)(B)' },
        { element: 'the steps individuals should take to protect themselves', field: 'noticeContent.stepsForIndividuals', citation: '45 CFR 164.404(c)(1)(C)' },
        { element: 'what the practice is doing to investigate, mitigate harm and protect against further breaches', field: 'noticeContent.whatWeAreDoing', citation: '45 CFR 164.404(c)(1)(D)' },
        { element: 'a toll-free telephone number', field: 'settings.contact.tollFreePhone', citation: '45 CFR 164.404(c)(1)(E)' },
      ],
    });
  });

  it('needs one of email, website or postal address besides the toll-free number', () => {
    const r = noticeModel({ ...inputs, contact: { tollFreePhone: '1-800-555-0100' } });
    expect(r).toEqual({ ok: false, missing: [expect.objectContaining({ field: 'settings.contact.email | website | postalAddress', citation: '45 CFR 164.404(c)(1)(E)' })] });
  });

  it('an "unknown" breach date is allowed and said plainly', () => {
    const r = noticeModel({ ...inputs, content: { ...inputs.content, breachDates: 'unknown' } });
    expect(r.ok && r.model.breachDateText).toBe('We have not been able to determine the date of the breach.');
  });

  it('a template asking for a field the model lacks fails instead of printing a hole (strict mode)', () => {
    const tpl = new LetterTemplates('/nonexistent-override');
    const n = noticeModel(inputs);
    if (!n.ok) throw new Error('fixture incomplete');
    const { addressee: _dropped, ...model } = letterFor(n.model, person({})).model;
    expect(() => tpl.render('individual', model)).toThrow(/"addressee" not defined/);
  });
});

describe('letters: the PDF layout (golden: pages and where the addresses sit)', () => {
  const tpl = new LetterTemplates('/nonexistent-override');
  const notice = noticeModel(inputs);
  if (!notice.ok) throw new Error('fixture incomplete');

  /** A letter's pages, the top left of its return address and recipient (the #10 windows), and what ends page 1. */
  async function layout(n: NoticeModel, name: string) {
    const { pdfBuffer } = await import('../src/letters/pdf-layout');
    const { readPdfLayout } = await import('./support/pdf');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { variant, model } = letterFor(n, person({}));
    const path = join(mkdtempSync(join(tmpdir(), 'bf-layout-')), `${name}.pdf`);
    writeFileSync(path, await pdfBuffer(name, [tpl.render(variant, model)]));
    const pdf = await readPdfLayout(path);
    const at = (str: string) => { const i = pdf.items[0].find((x) => x.str === str)!; return { x: i.x, y: i.y }; };
    const lastOnPage1 = pdf.items[0].reduce((a, b) => (b.y > a.y ? b : a));
    return {
      pages: pdf.pages,
      returnAddress: at('Lakeside Family Medicine'),
      recipient: at('Zebulon Quackenbush'),
      lastLineOfPage1: lastOnPage1.str,
      page2Header: pdf.pages > 1 ? pdf.items[1].find((x) => x.str.includes('page 2 of'))?.str ?? null : null,
    };
  }

  it('a letter whose content allows it fits on one page, the addresses in the windows of a #10 double-window envelope', async () => {
    const one = await layout(notice.model, 'one-page');
    golden('letter-layout-one-page.json', `${JSON.stringify(one, null, 2)}\n`);
    expect(one.pages).toBe(1);
    // The windows, in points from the sheet's top left: return at 0.5 in, recipient at 7/8 in across and 2 1/8 in down.
    expect(one.returnAddress.x).toBe(36);
    expect(one.recipient).toEqual({ x: 63, y: expect.any(Number) });
    expect(Math.abs(one.recipient.y - 153)).toBeLessThanOrEqual(12);
  });

  it('a letter too long for one page says "page 2 of 2" on page 2, and never leaves a heading at the foot of page 1', async () => {
    const long = { ...notice.model, whatHappened: Array.from({ length: 9 }, (_, i) => `Paragraph ${i + 1} of what happened, told in full so the letter needs a second page; it goes on for a while to fill the lines.`).join(' ') };
    const two = await layout(long, 'two-pages');
    golden('letter-layout-two-pages.json', `${JSON.stringify(two, null, 2)}\n`);
    expect(two.pages).toBe(2);
    expect(two.page2Header).toBe('Lakeside Family Medicine · Reference BF-2026-0007 · page 2 of 2');
    const headings = ['What happened', 'What information was involved', 'What you can do', 'What we are doing', 'For more information'];
    expect(headings).not.toContain(two.lastLineOfPage1);
  });
});

describe('letters: the PDF prints every name as written', () => {
  it('names beyond Latin-1 (Vietnamese, Polish) come back from the PDF intact', async () => {
    const { pdfBuffer } = await import('../src/letters/pdf-layout');
    const { readPdf } = await import('./support/pdf');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = join(mkdtempSync(join(tmpdir(), 'bf-pdf-')), 'names.pdf');
    writeFileSync(path, await pdfBuffer('names', ['Dear Nguyễn Thị Bích,\n\nWe are writing to you.', 'Dear Łukasz Żółć,\n\nWe are writing to you.']));
    const pdf = await readPdf(path);
    expect(pdf.pages).toBe(2);
    expect(pdf.text[0]).toContain('Nguyễn Thị Bích');
    expect(pdf.text[1]).toContain('Łukasz Żółć');
  });
});

describe('the golden-file helper', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bf-golden-'));

  it('a missing golden file fails, in CI or not, saying how to create it', () => {
    for (const env of [{}, { CI: 'true' }]) {
      expect(() => golden('new-document.txt', 'text', env, dir)).toThrow(/golden file new-document\.txt is missing .*UPDATE_GOLDEN=1/);
    }
  });

  it('UPDATE_GOLDEN=1 writes it, and a difference then fails', () => {
    golden('new-document.txt', 'text', { UPDATE_GOLDEN: '1' }, dir);
    expect(readFileSync(join(dir, 'new-document.txt'), 'utf8')).toBe('text');
    expect(() => golden('new-document.txt', 'other text', {}, dir)).toThrow();
  });
});
