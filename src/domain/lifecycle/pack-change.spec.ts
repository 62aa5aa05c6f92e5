import { facts, shippedPack } from '../../../test/factories/facts';
import { planNotification } from '../rules/plan';
import { RulePack } from '../rules/rule-pack';
import { packChange } from './pack-change';

describe('packChange: what another rule pack would change', () => {
  const f = facts({ dataElements: ['name', 'ssn', 'medical'], affected: { total: 600, byJurisdiction: { CA: 600 } } });
  const now = planNotification(f, shippedPack);
  const tracked = now.obligations.map((o) => ({ ...o, status: 'open' }));

  it('a clock that moves, a duty that goes (open only: done work stays), a version that changes', () => {
    const next: RulePack = JSON.parse(JSON.stringify(shippedPack));
    next.version = '2027.01.0';
    const ca = next.states.CA;
    if (!ca || 'noStatute' in ca || !ca.individualNotice?.clock) throw new Error('fixture');
    ca.individualNotice.clock.days = 20; // 03-02 + 20 = 03-22; the AG copy follows: 03-22 + 15 = 04-06
    ca.regulators = [];
    const change = packChange(now, tracked, planNotification(f, next));
    expect(change).toMatchObject({ from: '2026.12.1', to: '2027.01.0', added: [], obligationsUnchanged: false });
    expect(change.moved.map((m) => [m.key, m.from, m.to])).toEqual([['US-CA/individuals', '2026-04-01', '2026-03-22']]);
    expect(change.withdrawn.map((w) => w.key)).toEqual(['US-CA/regulator/attorney-general']);
    const done = tracked.map((o) => (o.key === 'US-CA/regulator/attorney-general' ? { ...o, status: 'done' } : o));
    expect(packChange(now, done, planNotification(f, next)).withdrawn).toEqual([]);
  });

  it('the same pack: nothing', () => {
    expect(packChange(now, tracked, now)).toMatchObject({ added: [], withdrawn: [], moved: [], obligationsUnchanged: true, from: '2026.12.1', to: '2026.12.1' });
  });
});
