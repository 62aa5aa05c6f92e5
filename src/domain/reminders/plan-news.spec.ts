import { planNews } from './plan-news';
import { IncidentContext } from '../lifecycle/incident.types';

const obligation = (key: string, dueOn: string) => ({ key, regime: 'HIPAA', audience: key.split('/')[1], recipient: key, dueOn, why: `why ${key}`, citation: '45 CFR 164.404(b)', verify: false });
const ctx = (obligations: ReturnType<typeof obligation>[]) => ({
  reference: 'BF-2026-0001',
  facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 12, byJurisdiction: { NY: 12 } }, dataFormat: 'paper' },
  plan: { discoveryDate: '2026-03-02', obligations },
  tracking: Object.fromEntries(obligations.map((o) => [o.key, { status: 'open' }])),
  insurance: {},
}) as unknown as IncidentContext;

describe('the news of a change of plan', () => {
  it('on a report: every open obligation, soonest first, and the facts in counts only', () => {
    const news = planNews('reported', ctx([obligation('HIPAA/hhs', '2027-03-01'), obligation('HIPAA/individuals', '2026-05-01')]), { added: [] });
    expect(news!.items.map((i) => [i.dueOn, i.change])).toEqual([['2026-05-01', 'new'], ['2027-03-01', 'new']]);
    expect(news!.facts).toEqual(['Discovered on 2026-03-02.', 'About 12 people affected (New York 12).', 'Paper records.']);
  });

  it('on a re-plan: only what was added or moved earlier; a later date or nothing new is no news', () => {
    const c = ctx([obligation('HIPAA/hhs', '2026-05-01'), obligation('HIPAA/individuals', '2026-05-01'), obligation('HIPAA/media', '2026-05-01')]);
    const news = planNews('replanned', c, { added: ['HIPAA/media'], moved: [{ key: 'HIPAA/hhs', from: '2027-03-01', to: '2026-05-01' }, { key: 'HIPAA/individuals', from: '2026-04-01', to: '2026-05-01' }] });
    expect(news!.items.map((i) => [i.recipient, i.change])).toEqual([['HIPAA/hhs', 'moved earlier, from 2027-03-01'], ['HIPAA/media', 'new']]);
    expect(planNews('replanned', c, { added: [], moved: [{ key: 'HIPAA/individuals', from: '2026-04-01', to: '2026-05-01' }] })).toBeNull();
    expect(planNews('replanned', c, null)).toBeNull();
  });
});
