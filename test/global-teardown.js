const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// The last line of a run without Chromium says what was not tested (test/support/chromium.ts).
module.exports = async () => {
  globalThis.__bfPgCluster?.stop();
  const note = join(__dirname, '..', 'test-output', 'browser-skipped.txt');
  if (existsSync(note)) process.stderr.write(`\n${readFileSync(note, 'utf8')}`);
};
