import { mkdirSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import { announceSkip, browserSuitePlan } from './support/chromium';
import { seriousViolations } from './support/axe';
import { ROOT } from './support/run-cli';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * The web app in real Chromium (Debian's package, driven by playwright-core): a practice owner
 * reports a breach from a phone-sized window; a privacy officer takes it from triage to closed
 * through the forms; an auditor can read but not change. Screenshots of the main pages are saved
 * to test-output/screenshots/.
 */

const SUITE = 'the web app in Chromium';
const plan = browserSuitePlan(SUITE);
// Without Chromium outside CI, the suite is skipped and says so loudly (one line); with CI set it fails.
if (!plan.run) announceSkip(plan.line);
const SHOTS = join(ROOT, 'test-output', 'screenshots');
jest.setTimeout(120_000);

(plan.run ? describe : describe.skip)(SUITE, () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let incidentUrl = '';

  beforeAll(async () => {
    if (!plan.run) return;
    if (plan.path === null) throw new Error(plan.failure);
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: plan.path,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const violations: Record<string, string[]> = {};

  /** A screenshot of the page, and its critical and serious accessibility violations (axe-core). */
  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    violations[name] = await seriousViolations(page);
  }

  async function login(page: Page, role: keyof typeof TEST_USERS): Promise<void> {
    await page.goto(`${base}/incidents`);
    await page.waitForURL(/\/login\?next=/);
    await page.fill('#email', TEST_USERS[role].email);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/incidents$/);
  }

  it('a practice owner reports a breach from a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    const page = await context.newPage();
    await login(page, 'owner');
    await page.click('text=Report a breach');
    await shot(page, 'report-phone');
    await page.fill('#what', 'A laptop with the appointment schedule was stolen from a staff car overnight.');
    await page.fill('#happened', '2026-03-08');
    // Tomorrow (the clock says 2026-03-10): refused in plain words, no field path.
    await page.fill('#found', '2026-03-11');
    await page.selectOption('#where', 'laptop');
    await page.fill('#count', '40');
    await page.selectOption('#state', 'NY');
    await page.selectOption('#encrypted', 'no');
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    await expectText(page, 'When it was found: 2026-03-11 is after today (2026-03-10 where the practice is)');
    expect(await page.locator('.errors').textContent()).not.toContain('discovery.date');
    await page.fill('#what', 'A laptop with the appointment schedule was stolen from a staff car overnight.');
    await page.fill('#found', '2026-03-09');
    await page.fill('#count', '40');
    await page.selectOption('#state', 'NY');
    await page.selectOption('#encrypted', 'no');
    await page.click('button[type=submit]');
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}\?created=1$/);
    incidentUrl = page.url().replace(/\?created=1$/, '');
    await expectText(page, 'Reported as BF-2026-0001');
    await expectText(page, 'What happens next');
    await expectText(page, 'Your role can read this incident but not change it');
    // The page fits the phone: no sideways scrolling of the page itself.
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await shot(page, 'reported-phone');
    await context.close();
  });

  it('a privacy officer takes it through containment, safe harbor and the assessment to notification, records the notices and closes it', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await login(page, 'privacy_officer');
    await expectText(page, 'BF-2026-0001');
    await shot(page, 'incidents');
    await page.goto(incidentUrl);

    let expectRefusal = false;
    const act = async (type: string, fill: (form: ReturnType<Page['locator']>) => Promise<void> = async () => undefined) => {
      const details = page.locator(`details[data-event="${type}"]`);
      if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
      const form = details.locator('form');
      await fill(form);
      await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
      if (page.url() !== incidentUrl && !expectRefusal) throw new Error(`${type} was not done: ${(await page.locator('.errors').allTextContents()).join(' ')}`);
    };

    await act('triage.started');
    await act('incident.accepted', (f) => f.locator('[name=note]').fill('Schedule lists hold names and dates of birth'));
    for (const item of ['stop_exposure', 'preserve_evidence', 'reset_credentials', 'engage_forensics', 'call_insurer_hotline']) {
      await act('containment.itemResolved', async (f) => {
        await f.locator('[name=item]').selectOption(item);
        await f.locator('[name=status]').selectOption(item === 'engage_forensics' ? 'not_applicable' : 'done');
        if (item === 'engage_forensics') await f.locator('[name=note]').fill('A stolen laptop: nothing to examine');
      });
    }
    await act('containment.completed');
    await act('safeHarbor.assessed', (f) => f.locator('[name=note]').fill('Laptop had no disk encryption'));
    await act('assessment.completed', async (f) => {
      for (const name of ['nature_of_phi', 'unauthorized_person', 'acquired_or_viewed', 'mitigation']) {
        await f.locator(`[name="factors.${name}.finding"]`).fill(`Finding on ${name.replace(/_/g, ' ')}`);
        await f.locator(`[name="factors.${name}.evidence"]`).fill('Police report 26-0311');
      }
      await f.locator('[name=lowProbability]').selectOption('false');
    });
    await expectText(page, 'notification');
    await shot(page, 'incident-notification');

    // A refusal shows the guard's reason: closing with notices still open.
    expectRefusal = true;
    await act('incident.closed');
    expectRefusal = false;
    await expectText(page, 'Not done:');
    await expectText(page, 'still open');
    await page.goto(incidentUrl);

    // Law enforcement asks for a delay; a notice recorded during it needs the box and a reason.
    await act('hold.placed', async (f) => {
      await f.locator('[name=statement]').selectOption('written');
      await f.locator('[name=receivedOn]').fill('2026-03-10');
      await f.locator('[name=delayUntil]').fill('2026-04-30');
      await f.locator('[name=official]').fill('Det. K. Lund, Albany PD');
    });
    expectRefusal = true;
    await act('notice.sent', async (f) => {
      await f.locator('[name=sentOn]').fill('2026-03-10');
      await f.locator('[name=method]').fill('first-class mail');
    });
    expectRefusal = false;
    await expectText(page, 'Sent during the hold: a law-enforcement hold is in force until 2026-04-30');
    expect(await page.locator('.errors').textContent()).not.toContain('holdConfirmed');
    await page.screenshot({ path: join(SHOTS, 'incident-hold-refusal.png'), fullPage: true });
    await page.goto(incidentUrl);

    for (let guard = 0; guard < 10; guard++) {
      const options = await page.locator('details[data-event="notice.sent"] [name=key] option').allTextContents();
      if (!options.length) break;
      await act('notice.sent', async (f) => {
        await f.locator('[name=sentOn]').fill('2026-03-10');
        await f.locator('[name=method]').fill('first-class mail');
        await f.locator('[name=count]').fill('40');
        await f.locator('[name=holdConfirmed]').check();
        await f.locator('[name=holdReason]').fill('The detective agreed the letters could go out');
      });
    }
    await expectText(page, 'Sent during the law-enforcement hold');
    // A typo in a proof is corrected, not permanent.
    await act('proof.corrected', async (f) => {
      await f.locator('[name=sentOn]').fill('2026-03-09');
      await f.locator('[name=reason]').fill('Mailed the day before; typo');
    });
    await expectText(page, 'Corrected once');
    await act('incident.closed', (f) => f.locator('[name=note]').fill('All notices sent'));
    await expectText(page, 'closed');
    expect(await page.locator('details[data-event]').count()).toBe(1); // only "reopen" is left
    await shot(page, 'incident-closed');
    await page.click('text=The audit trail');
    await expectText(page, 'The chain verifies.');
    await expectText(page, 'Pat Privacy <privacy@clinic.test>');
    await expectText(page, 'Olive Owner <owner@clinic.test>');
    await shot(page, 'audit');
    await context.close();
  });

  it('an admin adds a user and sets how patients reach the practice; a bad toll-free number is named', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await login(page, 'admin');
    await page.click('text=Users');
    await page.fill('#u-name', 'Nora Nurse');
    await page.fill('#u-email', 'nora@clinic.test');
    await page.check('#u-role-privacy_officer'); // roles are checkboxes: a user may hold several
    await page.fill('#u-password', 'another long passphrase');
    await Promise.all([page.waitForNavigation(), page.click('text=Add the user')]);
    await expectText(page, 'nora@clinic.test');
    await shot(page, 'users');
    await page.click('header >> text=Settings');
    await page.fill('#s-name', 'Lakeside Family Medicine');
    await page.fill('#s-toll', '555-0100');
    await Promise.all([page.waitForNavigation(), page.click('text=Save')]);
    await expectText(page, 'Toll-free number: must be a US toll-free number');
    await page.fill('#s-toll', '1-800-555-0100');
    await page.fill('#s-web', 'https://lakeside.example/notice');
    await Promise.all([page.waitForNavigation(), page.click('text=Save')]);
    await expectText(page, 'Saved.');
    expect(await page.inputValue('#s-toll')).toBe('1-800-555-0100');
    await shot(page, 'settings');
    await context.close();
  });

  it('an auditor reads everything and can change nothing', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await login(page, 'auditor');
    await page.goto(incidentUrl);
    await expectText(page, 'Your role can read this incident but not change it');
    expect(await page.locator('details[data-event]').count()).toBe(0);
    expect(await page.locator('a:has-text("Report a breach")').count()).toBe(0);
    // Even a hand-made form post with the auditor's own session and CSRF token is refused.
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const forged = await page.request.post(`${incidentUrl}/events`, { form: { _csrf: csrf, type: 'incident.reopened', reason: 'auditor tries' } });
    expect(forged.status()).toBe(403);
    const report = await page.goto(`${base}/report`);
    expect(report!.status()).toBe(403);
    await shot(page, 'auditor-forbidden');
    await context.close();
  });

  it('no page has a critical or serious accessibility violation (axe-core)', () => {
    expect(Object.keys(violations).length).toBeGreaterThanOrEqual(8);
    expect(Object.fromEntries(Object.entries(violations).filter(([, v]) => v.length))).toEqual({});
  });
});

async function expectText(page: Page, text: string): Promise<void> {
  await page.getByText(text, { exact: false }).first().waitFor({ state: 'attached', timeout: 10_000 });
}
