import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { seriousViolations } from './support/axe';
import { CONTAIN, IncidentClient } from './support/incident-client';
import { ROOT } from './support/run-cli';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * Issue 15's pages in real Chromium, no script and no API token: the safe-harbor step names the
 * encryption evidence it wants and links to attach it with the kind chosen; the file goes up
 * through the form (sealed, its SHA-256 shown and in the trail) and the step then shows it as
 * attached; the claim page shows the policy, records costs through its forms (one over a
 * sub-limit, one without the consent it needs), and warns; a phone shows each page without
 * sideways scrolling; axe-core finds no critical or serious violation on any of them.
 */

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'test-output', 'screenshots');
jest.setTimeout(180_000);

describe('evidence, dossier and claim pages in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base = '';
  let id = '';
  let po: IncidentClient;
  const checked: Record<string, string[]> = {};

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: install Debian's package or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    po = new IncidentClient(t.app, t.as('privacy_officer'));
    id = (await po.report({ discovery: { date: '2026-03-09' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 40, byJurisdiction: { NY: 40 } } }, 'A laptop was stolen from a staff car')).id;
    await po.walk(id, [...CONTAIN, {
      type: 'insurance.policyRecorded', carrier: 'Example Mutual', policyNumber: 'CY-1001', noticeWindowDays: 3, periodStart: '2026-01-01', periodEnd: '2026-12-31',
      retention: 1000, aggregateLimit: 100000, subLimits: { public_relations: 2000 }, consentRequired: ['forensics'], panelVendors: ['Panel Forensics LLC'], proofOfLossMonthsAfterPeriod: 6,
    }]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
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

  async function axe(page: Page, shot: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
    checked[shot] = await seriousViolations(page);
  }

  const text = (page: Page) => page.locator('main').innerText();

  it('names the evidence a step wants, attaches it from the link with its kind chosen, then shows it attached', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await login(context, 'privacy_officer');
    await page.goto(`${base}/incidents/${id}`);
    const step = page.locator('details[data-event="safeHarbor.assessed"]');
    expect(await step.innerText()).toMatch(/Encryption evidence: not attached/);
    expect(await step.innerText()).toMatch(/Certificate of destruction: not attached/);
    await axe(page, 'ev-incident');
    await Promise.all([page.waitForNavigation(), step.locator('a', { hasText: 'attach the Encryption evidence' }).click()]);
    expect(page.url()).toContain('/evidence?kind=encryption_evidence');
    expect(await page.inputValue('#a-kind')).toBe('encryption_evidence');
    expect(await text(page)).toContain('Safe harbor for encryption rests on proof');
    await axe(page, 'ev-evidence-empty');

    const file = join(t.dir, 'bitlocker-report.pdf');
    const content = Buffer.from('%PDF-1.4 BitLocker recovery report, AES-256 XTS, key escrowed\n');
    writeFileSync(file, content);
    await page.fill('#a-desc', 'BitLocker status of the stolen laptop');
    await page.setInputFiles('#a-file', file);
    await Promise.all([page.waitForNavigation(), page.locator('#upload button[type=submit]').click()]);
    const body = await text(page);
    expect(body).toContain('Attachment #1 is stored');
    expect(body).toContain(createHash('sha256').update(content).digest('hex'));
    expect(body).toMatch(/Encryption evidence: bitlocker-report\.pdf/);
    expect(body).toContain('safe-harbor check');
    await axe(page, 'ev-evidence');

    // A refused upload names the field and stores nothing.
    await page.fill('#a-desc', '');
    await page.setInputFiles('#a-file', file);
    await page.locator('#a-desc').evaluate((el) => el.removeAttribute('required'));
    await Promise.all([page.waitForNavigation(), page.locator('#upload button[type=submit]').click()]);
    expect(await text(page)).toContain('What it shows: is required');
    expect((await po.http().get(`/api/incidents/${id}/attachments`).expect(200)).body).toHaveLength(1);

    // The download is the API's, with the session: the file as uploaded, the read in the access trail.
    const href = await page.locator('a', { hasText: 'bitlocker-report.pdf' }).getAttribute('href');
    const download = await page.request.get(`${base}${href}`);
    expect(download.status()).toBe(200);
    expect(Buffer.from(await download.body()).equals(content)).toBe(true);
    const reads = (await po.http().get('/api/audit/access?type=attachment.downloaded').set(t.as('privacy_officer')).expect(200)).body as { subject: string; actor: string }[];
    expect(reads).toEqual([expect.objectContaining({ subject: id, actor: expect.stringContaining(TEST_USERS.privacy_officer.email) })]);

    // A corrected file supersedes the first; both stay listed.
    await page.selectOption('#a-kind', 'encryption_evidence');
    await page.selectOption('#a-sup', { index: 1 });
    await page.fill('#a-desc', 'BitLocker status, with the recovery key escrow record');
    await page.setInputFiles('#a-file', file);
    await Promise.all([page.waitForNavigation(), page.locator('#upload button[type=submit]').click()]);
    expect(await text(page)).toMatch(/Superseded by #2/);
    expect(await text(page)).toMatch(/Corrects #1/);

    await page.goto(`${base}/incidents/${id}`);
    expect(await page.locator('details[data-event="safeHarbor.assessed"]').innerText()).toMatch(/Encryption evidence: attached/);
    expect(await text(page)).toContain('Download the dossier (ZIP)');
    await context.close();
  });

  it('shows the claim: the policy, costs entered through its forms, totals against the sub-limit, the consent warning', async () => {
    const invoice = join(t.dir, 'pr-invoice.pdf');
    writeFileSync(invoice, '%PDF-1.4 Press Partners invoice 2026-117\n');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await login(context, 'privacy_officer');
    await page.goto(`${base}/incidents/${id}/evidence?kind=invoice`);
    await page.fill('#a-desc', 'Press Partners invoice');
    await page.setInputFiles('#a-file', invoice);
    await Promise.all([page.waitForNavigation(), page.locator('#upload button[type=submit]').click()]);

    await page.goto(`${base}/incidents/${id}/claim`);
    expect(await text(page)).toContain('Example Mutual');
    await axe(page, 'ev-claim-empty');
    const cost = page.locator('form:has(input[value="insurance.costRecorded"])');
    const enter = async (on: string, vendor: string, amount: string, part: string, invoiceLabel?: string) => {
      await cost.locator('input[name=on]').fill(on);
      await cost.locator('input[name=vendor]').fill(vendor);
      await cost.locator('input[name=amount]').fill(amount);
      await cost.locator('select[name=part]').selectOption(part);
      if (invoiceLabel) await cost.locator('select[name=invoiceAttachmentId]').selectOption({ label: invoiceLabel });
      await Promise.all([page.waitForNavigation(), cost.locator('button[type=submit]').click()]);
    };
    await enter('2026-03-05', 'Press Partners', '3000.50', 'public_relations', '#3 pr-invoice.pdf');
    expect(await text(page)).toContain('The cost is in the ledger.');
    await enter('2026-03-06', 'Other DFIR Inc', '1200', 'forensics');
    const body = await text(page);
    expect(body).toContain('$1,000.50 over the sub-limit');
    expect(body).toContain('exhausted');
    expect(body).toContain('needed, none recorded');
    expect(body).toMatch(/needs the insurer's consent before it is incurred/);
    expect(body).toContain('#3 pr-invoice.pdf');
    // PR 2,000 covered (sub-limit) - retention 1,000 = 1,000 claimable; forensics 1,200 at risk.
    expect(body).toMatch(/Claimable from the insurer\s+\$1,000\.00/);
    expect(body).toMatch(/At risk \(consent missing\)\s+\$1,200\.00/);
    expect(await page.locator('a[href$="/claim/package"]').count()).toBe(1);
    await axe(page, 'ev-claim');

    // Consent, through the page: the cost counts from then on.
    const consent = page.locator('form:has(input[value="insurance.costConsented"])');
    await consent.locator('select[name=cost]').selectOption('C2');
    await consent.locator('input[name=on]').fill('2026-03-05');
    await Promise.all([page.waitForNavigation(), consent.locator('button[type=submit]').click()]);
    expect(await text(page)).toMatch(/consented/);
    expect(await text(page)).toMatch(/At risk \(consent missing\)\s+\$0\.00/);
    // A bad amount is named, nothing is entered.
    await cost.locator('input[name=on]').fill('2026-03-07');
    await cost.locator('input[name=vendor]').fill('Typo Inc');
    await cost.locator('input[name=amount]').evaluate((el) => { el.setAttribute('type', 'text'); });
    await cost.locator('input[name=amount]').fill('12.345');
    await Promise.all([page.waitForNavigation(), cost.locator('button[type=submit]').click()]);
    expect(await text(page)).toMatch(/Amount: has more than two decimals/);
    expect((await po.http().get(`/api/incidents/${id}/claim`).expect(200)).body.costs).toHaveLength(2);
    await context.close();
  });

  it('reads on a phone: no sideways scrolling on the evidence, claim and dossier-help pages', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    const page = await login(context, 'auditor');
    for (const [path, shot] of [[`/incidents/${id}/evidence`, 'ev-phone-evidence'], [`/incidents/${id}/claim`, 'ev-phone-claim'], ['/help/dossier', 'ev-phone-help']]) {
      await page.goto(`${base}${path}`);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await axe(page, shot);
    }
    // The auditor reads and downloads, but gets no upload form or claim forms.
    await page.goto(`${base}/incidents/${id}/evidence`);
    expect(await page.locator('#upload').count()).toBe(0);
    expect(await page.locator('a[href^="/api/"][href$="/dossier"]').count()).toBe(1);
    await context.close();
  });

  it('lets an owner on a phone attach to their own report from the incident page, and only to it', async () => {
    const own = (await new IncidentClient(t.app, t.as('owner')).report({ discovery: { date: '2026-03-09' }, entity: { type: 'covered_entity' }, affected: { total: 2 } }, 'A fax went to the wrong number')).id;
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, bypassCSP: true });
    const page = await login(context, 'owner');
    await page.goto(`${base}/incidents/${id}`);
    expect(await page.locator('#attach').count()).toBe(0);
    await page.goto(`${base}/incidents/${own}`);
    await axe(page, 'ev-phone-owner-incident');
    const file = join(t.dir, 'fax-confirmation.pdf');
    writeFileSync(file, '%PDF-1.4 fax transmission report');
    await page.selectOption('#i-kind', 'correspondence');
    await page.fill('#i-desc', 'Fax transmission report');
    await page.setInputFiles('#i-file', file);
    await Promise.all([page.waitForNavigation(), page.locator('#attach button[type=submit]').click()]);
    expect(page.url()).toContain(`/incidents/${own}/evidence?done=1`);
    expect(await text(page)).toMatch(/Correspondence: fax-confirmation\.pdf/);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await axe(page, 'ev-phone-owner-evidence');
    await context.close();
  });

  it('has no critical or serious accessibility violation on any page it saw', () => {
    expect(Object.keys(checked).length).toBeGreaterThanOrEqual(10);
    expect(checked).toEqual(Object.fromEntries(Object.keys(checked).map((k) => [k, []])));
  });
});
