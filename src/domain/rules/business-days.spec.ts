import { addBusinessDays, federalHolidays, isBusinessDay } from './business-days';

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
