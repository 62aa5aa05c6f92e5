import { checkRosterHeader, deliveryOf, identityBasis, parseRosterRow } from './roster';

describe('roster rows', () => {
  const row = (o: Record<string, string>) => parseRosterRow({ name: 'Ada Lovelace', state: 'ny', address1: '1 Main St', city: 'Albany', postal_code: '12207', ...o }, 7);

  it('takes a plain row: state codes in any case, an address, living by default', () => {
    expect(row({})).toEqual({ person: {
      name: 'Ada Lovelace', residentState: 'NY', address: { line1: '1 Main St', line2: '', city: 'Albany', state: 'NY', postalCode: '12207' },
      email: null, emailConsent: false, status: 'living', representative: null,
    } });
  });

  it('an incomplete address is not an error: the person cannot be mailed (insufficient contact)', () => {
    const r = row({ postal_code: '' });
    expect('person' in r && r.person.address).toBe(null);
    expect('person' in r && deliveryOf(r.person, false)).toBe('none');
  });

  it('names each bad field by row and column, never echoing the value', () => {
    const r = row({ state: 'Narnia', postal_code: '1220', email: 'not-an-email', email_consent: 'maybe', status: 'deceased' });
    expect(r).toEqual({ errors: [
      { path: 'row 7, state', message: 'is not a state, DC or territory code (two letters, e.g. NY)' },
      { path: 'row 7, postal_code', message: 'must be a ZIP code: 5 digits, or ZIP+4 (12345-6789)' },
      { path: 'row 7, email', message: 'is not an email address' },
      { path: 'row 7, email_consent', message: 'must be yes or no' },
      { path: 'row 7, representative_name', message: 'is required for a deceased person: the letter is addressed to them (164.404(d)(1)(ii), 164.502(g))' },
      { path: 'row 7, representative_role', message: 'must be one of: next_of_kin, personal_representative for a deceased person' },
    ] });
    expect(JSON.stringify(r)).not.toMatch(/Narnia|not-an-email/);
  });

  it('a minor needs a parent or guardian; a living adult has no representative', () => {
    expect(row({ status: 'minor', representative_name: 'Ann Lovelace', representative_role: 'next_of_kin' })).toEqual({ errors: [
      { path: 'row 7, representative_role', message: 'must be one of: parent, guardian for a minor person' },
    ] });
    expect(row({ representative_name: 'Someone' })).toEqual({ errors: [{ path: 'row 7, representative_name', message: 'is only for a deceased or minor person (set status)' }] });
  });

  it('email where the person agreed, else mail unless it came back', () => {
    const r = row({ email: 'ada@mail.example', email_consent: 'yes' });
    if (!('person' in r)) throw new Error('invalid');
    expect(deliveryOf(r.person, true)).toBe('email');
    expect(deliveryOf({ ...r.person, emailConsent: false }, false)).toBe('mail');
    expect(deliveryOf({ ...r.person, emailConsent: false }, true)).toBe('none');
  });

  it('the same person twice, however written, has one identity', () => {
    const a = row({});
    const b = parseRosterRow({ name: ' ada  LOVELACE ', state: 'NY', address1: '1 Main St.', city: 'Albany', postal_code: '12207-1234' }, 8);
    if (!('person' in a) || !('person' in b)) throw new Error('invalid');
    expect(identityBasis(a.person)).toBe(identityBasis(b.person));
  });

  it('checks the header: unknown, repeated and missing columns', () => {
    expect(checkRosterHeader(['Name', 'NAME', 'zip'])).toEqual([
      { path: 'header, column 2', message: 'column name appears twice' },
      { path: 'header, column 3', message: expect.stringMatching(/^is not a column breachflow knows/) },
      { path: 'header', message: 'the column state is required' },
    ]);
  });

  it('never quotes a header cell: a file without its header row has a person there', () => {
    const errors = checkRosterHeader(['Maria Lopez', '12 Elm St', 'NY']);
    expect(errors.map((e) => e.path)).toEqual(['header, column 1', 'header, column 2', 'header, column 3', 'header', 'header']);
    expect(JSON.stringify(errors)).not.toMatch(/Maria|Lopez|Elm/);
  });
});

describe('parseRosterRow: control characters (issue 12)', () => {
  const row = { name: 'Ada Lovelace', state: 'NY', address1: '1 Main St', city: 'Albany', postal_code: '12207' };
  it.each([
    ['a line break that would start a heading', { name: 'Ada Lovelace\n# Urgent' }, 'row 2, name'],
    ['NUL', { city: 'Alb\u0000any' }, 'row 2, city'],
    ['a stray byte-order mark', { address1: '\ufeff1 Main St' }, 'row 2, address1'],
    ['bytes that did not decode', { name: 'Ada \ufffd' }, 'row 2, name'],
  ])('rejects %s, naming the column', (_, change, path) => {
    const r = parseRosterRow({ ...row, ...change }, 2);
    expect('errors' in r && r.errors.map((e) => e.path)).toContain(path);
  });
  it('accepts the plain row', () => {
    expect('person' in parseRosterRow(row, 2)).toBe(true);
  });
});

describe('the language column', () => {
  const row = { name: 'Ana Ruiz', state: 'NY', address1: '1 Elm St', city: 'Albany', postal_code: '12207' };
  it('names the letter\'s language (empty or en is English); anything but a two-letter code is named by row and column', () => {
    expect(parseRosterRow({ ...row, language: 'ES' }, 2)).toMatchObject({ person: { language: 'es' } });
    expect((parseRosterRow({ ...row, language: '' }, 2) as { person: object }).person).not.toHaveProperty('language');
    expect(parseRosterRow({ ...row, language: 'Spanish' }, 3)).toEqual({ errors: [{ path: 'row 3, language', message: 'must be a two-letter language code, e.g. es (empty means English)' }] });
  });
});
