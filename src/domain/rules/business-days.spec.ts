import { addBusinessDays, businessCalendarText, federalHolidays, isBusinessDay, stateHolidayOn } from './business-days';

describe('business days (federal holidays, observed)', () => {
  it('knows the 2026 federal holidays, with July 4 observed on Friday July 3', () => {
    expect([...federalHolidays(2026)].sort()).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03',
      '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25',
    ]);
  });

  it('puts New Year 2022 (a Saturday) on Friday 2021-12-31', () => {
    expect(federalHolidays(2021).has('2021-12-31')).toBe(true);
    expect(federalHolidays(2022).has('2022-01-01')).toBe(false);
  });

  it('has no Juneteenth before 2021', () => {
    expect(federalHolidays(2020).has('2020-06-19')).toBe(false);
  });

  it('NY 899-aa(9): an HHS filing on Friday 2026-02-20 gives Friday 2026-02-27', () => {
    expect(addBusinessDays('2026-02-20', 5)).toBe('2026-02-27');
  });

  it('skips weekends and holidays', () => {
    expect(isBusinessDay('2026-11-26')).toBe(false);
    expect(isBusinessDay('2026-11-28')).toBe(false);
    expect(addBusinessDays('2026-11-25', 1)).toBe('2026-11-27');
    expect(addBusinessDays('2026-12-24', 1)).toBe('2026-12-28');
    expect(addBusinessDays('2026-03-02', 0)).toBe('2026-03-02');
  });
});

describe('state holidays the rule pack lists', () => {
  const vt = [{ name: 'Town Meeting Day', month: 3, weekday: 2, nth: 1 }, { name: 'Bennington Battle Day', month: 8, day: 16 }];
  const ny = [{ name: 'Election Day', month: 11, weekday: 1, nth: 1, offsetDays: 1 }];
  const il = [{ name: 'Day after Thanksgiving', month: 11, weekday: 4, nth: 4, offsetDays: 1 }];

  it('finds each year\'s date, moving a weekend fixed date to the observed weekday', () => {
    expect(stateHolidayOn(vt[0], 2026)).toBe('2026-03-03'); // first Tuesday of March
    expect(stateHolidayOn(vt[1], 2026)).toBe('2026-08-17'); // Sun 08-16 observed Monday
    expect(stateHolidayOn(ny[0], 2026)).toBe('2026-11-03'); // the Tuesday after the first Monday
    expect(stateHolidayOn(ny[0], 2027)).toBe('2027-11-02');
    expect(stateHolidayOn(il[0], 2026)).toBe('2026-11-27'); // Thanksgiving 11-26
  });

  it('skips them in a business-day count', () => {
    // Mon 2026-03-02 + 1 business day: Tue 03-03 is Town Meeting Day in Vermont.
    expect(addBusinessDays('2026-03-02', 1)).toBe('2026-03-03');
    expect(addBusinessDays('2026-03-02', 1, vt)).toBe('2026-03-04');
    // Wed 2026-11-25 + 1: Thanksgiving (federal) and the day after (Illinois) are skipped, then the weekend.
    expect(addBusinessDays('2026-11-25', 1, il)).toBe('2026-11-30');
    expect(isBusinessDay('2026-11-03', ny)).toBe(false);
  });

  it('says which calendar it used', () => {
    expect(businessCalendarText('Vermont', vt)).toMatch(/Vermont's own holidays .*Town Meeting Day, Bennington Battle Day/);
    expect(businessCalendarText('Oregon', [])).toMatch(/lists no state holidays for Oregon/);
  });
});
