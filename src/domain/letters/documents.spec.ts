import { RosterPerson } from '../roster/roster';
import { letterFor, NoticeModel } from './documents';

const notice: NoticeModel = {
  practiceName: 'Lakeside Family Medicine', reference: 'BF-2026-0007', whatHappened: 'A laptop was stolen.', breachDateText: 'The breach happened on March 1, 2026.',
  discoveryDateText: 'We discovered it on March 2, 2026.', phiTypes: ['your name'], otherPhi: null, stepsForIndividuals: 'Watch your statements.', whatWeAreDoing: 'We encrypted every laptop.',
  creditMonitoring: null, stateOffers: {}, contact: { tollFreePhone: '1-800-555-0100', email: null, website: 'https://lakeside.example', postalAddressLines: null },
  signatoryName: 'Dana Cruz', signatoryTitle: 'Privacy Officer', dateText: 'March 10, 2026',
  facts: { today: '2026-03-10', discovered: '2026-03-02', breachStart: '2026-03-01', breachEnd: null, phiTypes: ['name'] },
};

describe('letterFor', () => {
  it("carries every field of the notice into the letter's model (the model is written out field by field, not spread)", () => {
    const person: RosterPerson = {
      name: 'Ada Lovelace', residentState: 'NY', address: { line1: '1 Main St', line2: '', city: 'Springfield', state: 'NY', postalCode: '10001' },
      email: null, emailConsent: false, status: 'living', representative: null,
    };
    const { model } = letterFor(notice, person);
    for (const [key, value] of Object.entries(notice)) expect([key, (model as unknown as Record<string, unknown>)[key]]).toEqual([key, value]);
    expect(model.addressee).toBe('Ada Lovelace');
    expect(model.addressLines).toEqual(['1 Main St', 'Springfield, NY 10001']);
  });
});
