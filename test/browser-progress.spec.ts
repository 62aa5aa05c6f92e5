import { INestApplication } from '@nestjs/common';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { createApp } from '../src/app';
import { FixedClock } from '../src/clock/clock';
import { LettersService } from '../src/letters/letters.service';
import { ROSTER_UPLOAD } from '../src/web/roster-page.controller';
import { shippedPack } from './factories/facts';
import { seriousViolations } from './support/axe';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { ROOT } from './support/run-cli';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * Item 4 (issue 14): the roster upload and the letter batch show their progress while they run,
 * in Chromium with script turned off (server-rendered pages, a link to check again; no timed
 * refresh, which axe-core counts critical, WCAG 2.2.1). The upload answers with its import's page
 * while the import reads, then that page shows the summary; the batch page shows "N of M people"
 * until the batch is done. The batch is rendered by a second instance started once the progress
 * was seen (the first renders nothing), so the test decides when it moves.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-output', 'screenshots');
const NOW = new Date('2026-03-10T15:00:00Z');
const MAILED = 100;
const ROWS = 30_000;
jest.setTimeout(240_000);

function roster(): string {
  const rows = ['name,state,address1,city,postal_code'];
  for (let i = 1; i <= ROWS; i++) rows.push(i <= MAILED ? `Person Number${i},NY,${i} Elm St,Albany,12207` : `Person Number${i},NY,,,`);
  return `${rows.join('\n')}\n`;
}

describe('progress in the browser, no script needed', () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';
  let incident = '';
  let renderer: INestApplication | null = null;
  const before = ROSTER_UPLOAD.progressAfterMs;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp(NOW, { letterWorkers: 0, lettersPerFile: 10 });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const po = new IncidentClient(t.app, t.as('privacy_officer'));
    await po.http().put('/api/settings').set(t.as('admin')).send({
      practiceName: 'Lakeside Family Medicine', contact: { tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example' },
    }).expect(200);
    const inc = await po.report({ discovery: { date: '2026-03-09' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: ROWS, byJurisdiction: { NY: ROWS } } });
    await po.walk(inc.id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'No disk encryption' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('Police report 26-0311') }]);
    await po.http().put(`/api/incidents/${inc.id}/notice-content`).send({
      whatHappened: 'A laptop was stolen from a staff car.', breachDates: { start: '2026-03-08' }, phiTypes: ['name'],
      stepsForIndividuals: 'Review the statements from your health insurer.', whatWeAreDoing: 'We are encrypting every laptop.',
    }).expect(200);
    incident = `${base}/incidents/${inc.id}`;
    ROSTER_UPLOAD.progressAfterMs = 0;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    ROSTER_UPLOAD.progressAfterMs = before;
    await browser?.close();
    await renderer?.close();
    await t?.app.get(LettersService).settle();
    await t?.close();
  });

  const text = (page: Page) => page.locator('main').innerText();

  /** axe-core needs script, which this page runs without: its HTML is checked in a page that runs it. */
  async function axe(page: Page): Promise<string[]> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const copy = await context.newPage();
    await copy.setContent(await page.content());
    const found = await seriousViolations(copy);
    await context.close();
    return found;
  }

  async function checkAgain(page: Page, until: string): Promise<void> {
    for (let i = 0; i < 240 && !(await text(page)).includes(until); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Check the progress' }).first().click()]);
    }
    expect(await text(page)).toContain(until);
  }

  it('the roster upload answers with its progress, then its summary; the batch shows its progress until it is done', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.fill('#email', TEST_USERS.privacy_officer.email);
    await page.fill('#password', TEST_PASSWORD);
    await Promise.all([page.waitForURL(/\/incidents$/), page.click('button[type=submit]')]);

    await page.goto(`${incident}/roster`);
    const file = join(t.dir, 'roster.csv');
    writeFileSync(file, roster());
    await page.setInputFiles('#r-file', file);
    await Promise.all([page.waitForNavigation(), page.locator('form[action$="/roster/upload"] button[type=submit]').click()]);
    expect(page.url()).toMatch(/\/roster\/imports\/[0-9a-f-]{36}$/);
    const reading = await text(page);
    expect(reading).toContain('Importing the file you uploaded');
    expect(reading).toMatch(/Progress: [\d,]+ rows read/);
    await page.screenshot({ path: join(SHOTS, 'progress-roster.png'), fullPage: true });
    expect(await axe(page)).toEqual([]);
    await checkAgain(page, 'The file you uploaded: imported');
    expect(await text(page)).toContain(`added: ${ROWS}`);
    expect(await text(page)).not.toContain('Importing the file you uploaded');

    await page.goto(`${incident}/letters`);
    await Promise.all([page.waitForNavigation(), page.locator('form[action$="/letters"] button[type=submit]').click()]);
    expect(await text(page)).toContain(`Progress: 0 of ${MAILED} people`);
    await page.screenshot({ path: join(SHOTS, 'progress-letters.png'), fullPage: true });
    expect(await axe(page)).toEqual([]);

    // A second instance with a worker renders the batch; the page follows when asked.
    renderer = await createApp({ config: { ...t.config, letterWorkers: 1 }, rulePack: shippedPack, clock: new FixedClock(NOW), logger: false });
    await renderer.init();
    await renderer.get(LettersService).settle();
    await checkAgain(page, 'ready to mail');
    expect(await page.locator('a:has-text("letters-0010.pdf")').count()).toBe(1);
    await context.close();
  });
});
