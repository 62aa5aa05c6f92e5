import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { LettersService } from '../src/letters/letters.service';
import { seriousViolations } from './support/axe';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { readPdf } from './support/pdf';
import { ROOT } from './support/run-cli';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * The privacy officer's second half of the job, in real Chromium and without an API token: the
 * letter text, a roster with a bad row (named by row and column), fixed and uploaded again, a
 * preview, the batch (with its progress), the PDF opened with pdf.js, the mailing marked sent,
 * returned mail that makes substitute notice required, the HHS report as a PDF; then the owner on
 * a phone adds a note. axe-core checks every page: no critical or serious violation.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const PEOPLE = 2400;
jest.setTimeout(240_000);

/** Distinct made-up names: "Abe Kaxo", "Abe Kebo", ... */
function name(i: number): string {
  const syl = ['ka', 'be', 'xo', 'mi', 'lu', 'ro', 'ta', 'ne', 'si', 'vo'];
  const part = (n: number) => syl[n % 10] + syl[Math.floor(n / 10) % 10] + syl[Math.floor(n / 100) % 10];
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
  return `${cap(part(i))} ${cap(part(Math.floor(i / 1000) + 7))}wick`;
}

function roster(bad: boolean): string {
  const rows = ['name,state,address1,city,postal_code'];
  for (let i = 0; i < PEOPLE; i++) rows.push(`${name(i)},NY,${i + 1} Elm St,Albany,12207`);
  if (bad) rows[3] = `${name(2)},XX,3 Elm St,Albany,12207`;
  return `${rows.join('\n')}\n`;
}

describe('the privacy officer\'s workspace in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';
  let incident = '';
  const checked: Record<string, string[]> = {};

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const po = new IncidentClient(t.app, t.as('privacy_officer'));
    await po.http().put('/api/settings').set(t.as('admin')).send({
      practiceName: 'Lakeside Family Medicine',
      contact: { tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', postalAddress: { line1: '1 Harbor Way', city: 'Albany', state: 'NY', postalCode: '12207' }, signatoryName: 'Pat Privacy', signatoryTitle: 'Privacy Officer' },
    }).expect(200);
    const inc = await po.report({ discovery: { date: '2026-03-09' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 40, byJurisdiction: { NY: 40 } } }, 'A laptop was stolen from a staff car');
    await po.walk(inc.id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'No disk encryption' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('Police report 26-0311') }]);
    incident = `${base}/incidents/${inc.id}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.app.get(LettersService).settle();
    await t?.close();
  });

  async function login(context: BrowserContext, role: keyof typeof TEST_USERS): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', TEST_USERS[role].email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(/\/incidents$/), page.click('button[type=submit]')]);
    return page;
  }

  /** Every page the test sees is checked with axe-core once per path. */
  async function axe(page: Page, shot: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    const path = new URL(page.url()).pathname.replace(/[0-9a-f-]{36}/g, ':id');
    checked[`${path} (${shot})`] = await seriousViolations(page);
  }

  async function submit(page: Page, form: string, button = 'button[type=submit]'): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.locator(form).locator(button).click()]);
  }

  const text = (page: Page) => page.locator('main').innerText();

  it('writes the letter text part by part, with the preview and what is still missing', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await login(context, 'privacy_officer');
    await page.goto(incident);
    await axe(page, 'ws-incident');
    await page.click('nav.subnav >> text=Letter text');
    expect(await text(page)).toContain('Still missing before letters can go out');
    await axe(page, 'ws-notice-missing');
    await page.fill('#in-whatHappened', 'On March 8 a laptop holding the appointment schedule was stolen from a staff member\'s car.');
    await submit(page, '#field-whatHappened');
    await page.fill('#breach-start', '2026-03-08');
    await submit(page, '#field-breachDates');
    for (const v of ['name', 'date_of_birth']) await page.locator(`#field-phiTypes input[value=${v}]`).check();
    await submit(page, '#field-phiTypes');
    await page.fill('#in-stepsForIndividuals', 'Review the statements from your health insurer and tell us about any visit you did not have.');
    await submit(page, '#field-stepsForIndividuals');
    // A save of one part keeps the others: the description is still there.
    expect(await page.inputValue('#in-whatHappened')).toMatch(/^On March 8 a laptop/);
    await page.fill('#in-whatWeAreDoing', 'We reported the theft to the police and are encrypting every laptop.');
    await submit(page, '#field-whatWeAreDoing');
    const body = await text(page);
    expect(body).toContain('Every element 164.404(c) requires is there.');
    expect(body).toContain('Dear [Name],');
    expect(body).toContain('We reported the theft to the police');
    await axe(page, 'ws-notice');
    await context.close();
  });

  it('uploads a roster with a bad row (named by row and column), fixes it, uploads again, previews a letter', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await login(context, 'privacy_officer');
    await page.goto(`${incident}/roster`);
    await axe(page, 'ws-roster-empty');
    const file = join(t.dir, 'roster.csv');
    writeFileSync(file, roster(true));
    await page.setInputFiles('#r-file', file);
    await submit(page, 'form[action$="/roster/upload"]');
    // A long import answers with its progress first ("Importing the file you uploaded"): wait for the summary's heading itself.
    await page.locator('#last-h', { hasText: 'The file you uploaded: rejected' }).waitFor({ timeout: 60_000 });
    let body = await text(page);
    expect(body).toContain('rejected: nothing imported');
    expect(body).toContain('Row 4, column state: is not a state');
    expect(body).not.toContain(name(2));
    await axe(page, 'ws-roster-rejected');
    writeFileSync(file, roster(false));
    await page.setInputFiles('#r-file', file);
    await submit(page, 'form[action$="/roster/upload"]');
    await page.locator('#last-h', { hasText: 'The file you uploaded: imported' }).waitFor({ timeout: 60_000 });
    body = await text(page);
    expect(body).toContain('The file you uploaded: imported');
    expect(body).toContain(`added: ${PEOPLE}`);
    expect(body).toContain('Everyone on the roster can be reached');
    await axe(page, 'ws-roster');
    await page.goto(`${incident}/notice?person=2`);
    expect(await text(page)).toContain(`Dear ${name(1)},`);
    await context.close();
  });

  it('generates the batch (with progress), opens its PDF, marks it mailed; returned mail makes substitute notice required', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, acceptDownloads: true });
    const page = await login(context, 'privacy_officer');
    await page.goto(`${incident}/letters`);
    await submit(page, 'form[action$="/letters"]');
    await page.locator('progress').first().waitFor({ timeout: 10_000 });
    expect(await text(page)).toMatch(/Progress: [\d,]+ of 2,400 people/);
    await axe(page, 'ws-letters-progress');
    await page.getByText('ready to mail').waitFor({ timeout: 120_000 });
    await axe(page, 'ws-letters-ready');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("letters-0001.pdf")')]);
    const pdfPath = join(t.dir, 'letters-0001.pdf');
    await download.saveAs(pdfPath);
    const pdf = await readPdf(pdfPath);
    expect(pdf.pages).toBeGreaterThanOrEqual(1000);
    expect(pdf.text.join('\n')).toContain(`Dear ${name(0)},`);
    await page.fill('input[name=sentOn]', '2026-03-10');
    await submit(page, 'form[action$="/sent"]');
    expect(await text(page)).toContain('mailed on March 10, 2026');
    await page.goto(`${incident}/roster`);
    await page.fill('#ret-on', '2026-03-10');
    await page.fill('#ret-people', '1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11');
    await submit(page, 'form[action$="/returned-mail"]');
    const body = await text(page);
    expect(body).toContain('Returned mail recorded for 11 people.');
    expect(body).toContain('11 unreachable: substitute notice is now required');
    await axe(page, 'ws-roster-returned');
    await page.click('nav.subnav >> text=Documents');
    expect(await text(page)).toContain('Substitute notice (PDF)');
    await axe(page, 'ws-documents');
    await page.click('text=Read the report');
    expect(await text(page)).toContain('Street address (line 1)');
    await axe(page, 'ws-hhs-report');
    const [hhs] = await Promise.all([page.waitForEvent('download'), page.click('main >> text=Download as a PDF')]);
    await hhs.saveAs(join(t.dir, 'hhs.pdf'));
    expect((await readPdf(join(t.dir, 'hhs.pdf'))).text.join(' ')).toContain('Name of covered entity: Lakeside Family Medicine');
    await page.click('nav.subnav >> text=Letters');
    await axe(page, 'ws-letters-mailed');
    await context.close();
  });

  it('the owner on a phone adds a note', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    const page = await login(context, 'owner');
    await page.goto(`${incident}/facts`);
    await page.fill('#n-note', 'The police called: the car was found, the laptop was not.');
    await submit(page, 'form[action$="/notes"]');
    expect(await text(page)).toContain('The police called: the car was found');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await axe(page, 'ws-facts-phone');
    await context.close();
  });

  it('no page has a critical or serious accessibility violation (axe-core)', () => {
    expect(Object.keys(checked).length).toBeGreaterThanOrEqual(12);
    expect(Object.fromEntries(Object.entries(checked).filter(([, v]) => v.length))).toEqual({});
  });
});
