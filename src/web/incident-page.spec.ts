import { timeline } from './incident-page';

describe('the incident timeline', () => {
  const obligations = [
    { key: 'HIPAA/individuals', recipient: 'Each affected individual (written notice)', dueOn: '2026-05-01', status: 'open' },
    { key: 'HIPAA/media/NY', recipient: 'Prominent media outlets serving New York (usually a press release)', dueOn: '2026-05-01', status: 'done' },
    { key: 'HIPAA/hhs', recipient: 'The Secretary of HHS, through the OCR breach portal', dueOn: '2026-05-01', status: 'open' },
    { key: 'POLICY/insurer', recipient: 'The cyber insurer (notice of a claim)', dueOn: '2026-03-05', status: 'open' },
  ];
  const t = timeline('2026-03-02', '2026-03-10', obligations, { from: '2026-03-04', until: '2026-04-03' });

  it('groups deadlines of the same day in one mark, each with its status', () => {
    expect(t.groups.map((g) => g.date)).toEqual(['March 5, 2026', 'May 1, 2026']);
    expect(t.groups[1].items.map((i) => i.status)).toEqual(['open', 'done', 'open']);
    expect(t.groups[0].items[0].status).toBe('overdue');
    expect(t.groups[1].text).toContain('Prominent media outlets serving New York (usually a press release), done');
  });

  it('keeps every label whole, inside the drawing, one row each', () => {
    const lines = t.groups.flatMap((g) => g.lines);
    expect(new Set(lines.map((l) => l.y)).size).toBe(lines.length);
    for (const l of lines) {
      expect(l.label).not.toContain('...');
      expect(l.x).toBeGreaterThanOrEqual(10);
      expect(l.x + l.label.length * 6.2).toBeLessThanOrEqual(t.width - 10 + 1);
    }
  });

  it('draws the law-enforcement hold as a band, and lists everything in date order (the text alternative)', () => {
    expect(t.hold).toMatchObject({ from: 'March 4, 2026', until: 'April 3, 2026' });
    expect(t.hold!.width).toBeGreaterThan(0);
    expect(t.list.map((i) => i.date)).toEqual(['March 2, 2026', 'March 4, 2026', 'March 5, 2026', 'March 10, 2026', 'May 1, 2026']);
  });
});
