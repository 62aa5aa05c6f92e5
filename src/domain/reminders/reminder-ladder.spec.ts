import { nextOverdue, ReminderSettings, upcomingReminders, whenText } from './reminder-ladder';

const settings: ReminderSettings = { ladderDaysBefore: [30, 14, 7, 3, 1, 0], escalateFromDaysBefore: 7, sendHour: 9, digest: false };
const o = { key: 'HIPAA/individuals', dueOn: '2026-05-01' };

describe('the reminder ladder', () => {
  it('gives 30, 14, 7, 3, 1 days before and the day, then the first overdue day; escalates from 7 days', () => {
    expect(upcomingReminders(o, settings, '2026-03-02').map((r) => [r.sendOn, r.kind, r.daysLeft, r.escalate])).toEqual([
      ['2026-04-01', 'before', 30, false],
      ['2026-04-17', 'before', 14, false],
      ['2026-04-24', 'before', 7, true],
      ['2026-04-28', 'before', 3, true],
      ['2026-04-30', 'before', 1, true],
      ['2026-05-01', 'due_today', 0, true],
      ['2026-05-02', 'overdue', -1, true],
    ]);
  });

  it('does not send past steps late: from 2026-04-20 the 30- and 14-day ones are gone', () => {
    expect(upcomingReminders(o, settings, '2026-04-20').map((r) => r.sendOn)).toEqual(['2026-04-24', '2026-04-28', '2026-04-30', '2026-05-01', '2026-05-02']);
  });

  it('for an obligation already overdue, the next overdue notice is today', () => {
    expect(upcomingReminders(o, settings, '2026-05-09')).toEqual([
      { obligationKey: o.key, dueOn: o.dueOn, sendOn: '2026-05-09', kind: 'overdue', daysLeft: -8, escalate: true },
    ]);
    expect(nextOverdue(o, '2026-05-09', settings)).toMatchObject({ sendOn: '2026-05-10', daysLeft: -9 });
  });

  it('follows a ladder the practice changed, duplicates and order aside', () => {
    const custom = { ...settings, ladderDaysBefore: [2, 10, 10], escalateFromDaysBefore: 2 };
    expect(upcomingReminders(o, custom, '2026-03-02').map((r) => [r.sendOn, r.escalate])).toEqual([
      ['2026-04-21', false], ['2026-04-29', true], ['2026-05-02', true],
    ]);
  });

  it('says how far off the date is', () => {
    expect([whenText(7), whenText(1), whenText(0), whenText(-1), whenText(-3)]).toEqual(['due in 7 days', 'due in 1 day', 'due today', 'overdue by 1 day', 'overdue by 3 days']);
  });
});
