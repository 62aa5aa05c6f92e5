import { tidy } from '../src/letters/letter-templates';

/** The collapse as it was written before `tidy` (every letter copied): `tidy` must answer the same string. */
const before = (text: string) => text.replace(/\n{3,}/g, '\n\n').trim() + '\n';

describe('tidy (a letter with blank lines collapsed, trimmed, one final line break)', () => {
  it('answers what the regex collapse and trim answered, on the edge cases', () => {
    const cases = ['', '\n', '\n\n', ' ', 'a', 'a\n', 'a\n\n', 'a\n\n\n', '\na\n', ' a\n', 'a \n', 'a\t\n', 'a\n \n', 'a\n\n\n\nb\n', '\u00a0a\n', 'a\u2028\n',
      '@@ return\nX\n\n\n@@ aside\nY\n', 'x\r\n\r\n\r\ny\n', 'a\n\n\n', '\n\n\na', 'ab'];
    for (const c of cases) expect(JSON.stringify(tidy(c))).toBe(JSON.stringify(before(c)));
  });

  it('answers the same on random texts of line breaks, spaces and letters', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const alphabet = ['\n', '\n', '\n', ' ', '\t', 'a', 'b', '\r', '\u00a0'];
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join('');
      expect(JSON.stringify(tidy(text))).toBe(JSON.stringify(before(text)));
    }
  });

  it('answers a letter that needs nothing as the same string', () => {
    const letter = '@@ return\nClinic\n\n# Notice\nDear Ada,\n';
    expect(tidy(letter)).toBe(letter);
  });
});
