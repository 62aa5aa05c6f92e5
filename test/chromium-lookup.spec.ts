import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserSuitePlan, findChromium } from './support/chromium';

describe('finding Chromium for the browser suite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bf-chromium-'));
  const fake = join(dir, 'chromium');
  writeFileSync(fake, '');

  it('CHROMIUM_PATH wins when it names a file; naming no file means no Chromium, whatever PATH holds', () => {
    expect(findChromium({ CHROMIUM_PATH: fake, PATH: '' })).toEqual({ found: true, path: fake });
    expect(findChromium({ CHROMIUM_PATH: join(dir, 'missing'), PATH: dir })).toEqual({ found: false, reason: expect.stringContaining('CHROMIUM_PATH names no file') });
  });

  it('without CHROMIUM_PATH, a chromium on PATH', () => {
    expect(findChromium({ PATH: `/nonexistent-dir:${dir}` })).toEqual({ found: true, path: fake });
    expect(findChromium({ PATH: '/nonexistent-dir' })).toMatchObject({ found: false });
  });

  it('outside CI a missing Chromium skips the suite with a line saying what was not tested and how to get it', () => {
    const p = browserSuitePlan('the web app', { PATH: '' });
    expect(p).toEqual({ run: false, line: expect.stringMatching(/^SKIPPED browser suite "the web app" .*NOT tested.*apt-get install chromium.*CHROMIUM_PATH/) });
  });

  it('with CI set a missing Chromium is a failure naming the suite, never a skip', () => {
    expect(browserSuitePlan('the web app', { PATH: '', CI: 'true' })).toEqual({ run: true, path: null, failure: expect.stringContaining('browser suite "the web app" cannot run') });
    expect(browserSuitePlan('the web app', { PATH: dir, CI: 'true' })).toEqual({ run: true, path: fake });
  });
});
