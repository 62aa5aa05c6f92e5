import { addDays, daysBetween, instantAt, isLocalDate, isTimeZone, localDateIn, parseLocalDate, weekday } from './calendar';

describe('calendar arithmetic', () => {
  it('rejects dates that do not exist', () => {
    for (const bad of ['2026-02-29', '2025-02-29', '2026-13-01', '2026-04-31', '2026-00-10', '26-01-01', '2026-1-1', '2026-01-01T00:00:00Z']) {
      expect(isLocalDate(bad)).toBe(false);
    }
    expect(parseLocalDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(isLocalDate('2000-02-29')).toBe(true);
    expect(isLocalDate('1900-02-29')).toBe(false);
  });

  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2026-03-02', 60)).toBe('2026-05-01');
    expect(addDays('2023-12-31', 60)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 60)).toBe('2025-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
  });

  it('knows the weekday', () => {
    expect(weekday('2025-03-01')).toBe(6);
    expect(weekday('2026-03-01')).toBe(0);
    expect(weekday('2027-03-01')).toBe(1);
  });

  it('takes the local date in an IANA zone, across a DST change too', () => {
    expect(localDateIn(new Date('2025-01-01T07:30:00Z'), 'America/Los_Angeles')).toBe('2024-12-31');
    expect(localDateIn(new Date('2025-01-01T08:00:00Z'), 'America/Los_Angeles')).toBe('2025-01-01');
    expect(localDateIn(new Date('2026-03-08T07:59:00Z'), 'America/Chicago')).toBe('2026-03-08');
    expect(localDateIn(new Date('2026-03-08T05:59:00Z'), 'America/Chicago')).toBe('2026-03-07');
    expect(localDateIn(new Date(0), 'Mars/Olympus_Mons')).toBeNull();
    expect(isTimeZone('Pacific/Honolulu')).toBe(true);
    expect(isTimeZone('EST5EDT-not')).toBe(false);
  });
});

describe('instantAt', () => {
  it('puts a local hour at the right instant, on both sides of a DST change', () => {
    expect(instantAt('2026-03-06', 9, 'America/Chicago').toISOString()).toBe('2026-03-06T15:00:00.000Z');
    expect(instantAt('2026-03-09', 9, 'America/Chicago').toISOString()).toBe('2026-03-09T14:00:00.000Z');
    expect(instantAt('2026-07-01', 0, 'Pacific/Honolulu').toISOString()).toBe('2026-07-01T10:00:00.000Z');
    expect(instantAt('2026-07-01', 9, 'UTC').toISOString()).toBe('2026-07-01T09:00:00.000Z');
    // 02:00 does not exist in New York on 2026-03-08: the hour after it.
    expect(instantAt('2026-03-08', 2, 'America/New_York').toISOString()).toBe('2026-03-08T07:00:00.000Z');
  });
});
