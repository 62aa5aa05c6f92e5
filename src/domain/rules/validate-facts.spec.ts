import { validateFacts } from './validate-facts';

const valid = {
  discovery: { date: '2026-03-02' },
  entity: { type: 'covered_entity', state: 'IL' },
  affected: { total: 1234, byJurisdiction: { CA: 700, NV: 400 }, insufficientContact: 12 },
};

/** The errors for the valid facts with one part replaced. */
function errorsFor(patch: Record<string, unknown>): { path: string; message: string }[] {
  const result = validateFacts({ ...valid, ...patch });
  return result.ok ? [] : result.errors;
}

describe('validateFacts', () => {
  it('accepts the contract input, with or without the optional parts', () => {
    expect(validateFacts(valid).ok).toBe(true);
    expect(validateFacts({
      ...valid,
      discovery: { at: '2026-01-01T04:30:00Z', timezone: 'America/New_York' },
      safeguards: { encryption: { applied: true, keyCompromised: false, standard: 'NIST SP 800-111' }, destruction: { applied: false } },
      exception: null,
      riskAssessment: { lowProbabilityOfCompromise: false },
      lawEnforcementDelay: { statement: 'oral', receivedOn: '2026-03-01', delayUntil: '2026-06-01', writtenFollowUp: { receivedOn: '2026-03-20', delayUntil: '2026-07-01' } },
      dataFormat: 'both',
      determinedOn: '2026-03-10',
      dataElements: ['name', 'ssn', 'medical'],
    }).ok).toBe(true);
    expect(validateFacts({ ...valid, entity: { type: 'covered_entity', licensedHealthFacility: true } }).ok).toBe(true);
    for (const agent of [true, false, 'unknown']) expect(validateFacts({ ...valid, businessAssociate: { discoveredOn: '2026-02-20', agent } }).ok).toBe(true);
    expect(validateFacts({ ...valid, businessAssociate: { discoveredOn: '2026-03-02', agent: true } }).ok).toBe(true);
    expect(validateFacts({ ...valid, safeguards: { encryption: { applied: true, standard: 'whatever was used', dataState: 'in_motion' } } }).ok).toBe(true);
    // A statement on the discovery day itself, or after a business associate's earlier discovery, is fine.
    expect(validateFacts({ ...valid, lawEnforcementDelay: { statement: 'oral', receivedOn: '2026-03-02' } }).ok).toBe(true);
    expect(validateFacts({ ...valid, businessAssociate: { discoveredOn: '2026-02-20', agent: true }, lawEnforcementDelay: { statement: 'oral', receivedOn: '2026-02-25' } }).ok).toBe(true);
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['an impossible date', { discovery: { date: '2026-02-30' } }, 'discovery.date', /calendar date/],
    ['both discovery forms', { discovery: { date: '2026-03-02', at: '2026-03-02T10:00:00Z', timezone: 'UTC' } }, 'discovery', /exactly one/],
    ['no discovery form', { discovery: {} }, 'discovery', /exactly one/],
    ['an unknown time zone', { discovery: { at: '2026-03-02T10:00:00Z', timezone: 'America/Springfield' } }, 'discovery.timezone', /IANA/],
    ['a timestamp without offset', { discovery: { at: '2026-03-02T10:00:00', timezone: 'UTC' } }, 'discovery.at', /offset/],
    ['a discovery before Subpart D', { discovery: { date: '2009-09-22' } }, 'discovery', /164\.400/],
    ['an unknown entity type', { entity: { type: 'hospital' } }, 'entity.type', /covered_entity, business_associate/],
    ['an unknown entity state', { entity: { type: 'covered_entity', state: 'XX' } }, 'entity.state', /jurisdiction/],
    ['an unknown jurisdiction', { affected: { total: 10, byJurisdiction: { XX: 1 } } }, 'affected.byJurisdiction.XX', /unknown jurisdiction/],
    ['a negative count', { affected: { total: 10, byJurisdiction: { CA: -1 } } }, 'affected.byJurisdiction.CA', /0 or more/],
    ['a fractional total', { affected: { total: 10.5 } }, 'affected.total', /whole number/],
    ['a zero total', { affected: { total: 0 } }, 'affected.total', /1 or more/],
    ['a missing total', { affected: { byJurisdiction: { CA: 3 } } }, 'affected.total', /required/],
    ['residents summing past the total', { affected: { total: 10, byJurisdiction: { CA: 6, NV: 5 } } }, 'affected.byJurisdiction', /add up to 11, more than affected\.total \(10\)/],
    ['more unreachable than affected', { affected: { total: 10, insufficientContact: 11 } }, 'affected.insufficientContact', /more than affected\.total/],
    ['an unknown exception', { exception: 'snooping_was_fine' }, 'exception', /unknown exception/],
    ['a non-boolean assessment', { riskAssessment: { lowProbabilityOfCompromise: 'no' } }, 'riskAssessment.lowProbabilityOfCompromise', /true or false/],
    ['encryption without applied', { safeguards: { encryption: { keyCompromised: false } } }, 'safeguards.encryption.applied', /true or false/],
    ['an unknown statement form', { lawEnforcementDelay: { statement: 'email', receivedOn: '2026-03-01' } }, 'lawEnforcementDelay.statement', /oral, written/],
    ['a delay ending before it began', { lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-01', delayUntil: '2026-02-01' } }, 'lawEnforcementDelay.delayUntil', /before receivedOn/],
    ['a follow-up to a written statement', { lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-01', delayUntil: '2026-04-01', writtenFollowUp: { receivedOn: '2026-03-05' } } }, 'lawEnforcementDelay.writtenFollowUp', /only follows an oral/],
    ['a follow-up before the oral statement', { lawEnforcementDelay: { statement: 'oral', receivedOn: '2026-03-10', writtenFollowUp: { receivedOn: '2026-03-05' } } }, 'lawEnforcementDelay.writtenFollowUp.receivedOn', /not be before 2026-03-10/],
    ['a determination before discovery', { determinedOn: '2026-03-01' }, 'determinedOn', /before the discovery date/],
    ['a misspelled field', { exeption: null }, 'exeption', /unknown field/],
    ['an unknown data format', { dataFormat: 'fax' }, 'dataFormat', /electronic, paper, both/],
    ['data elements not a list', { dataElements: 'ssn' }, 'dataElements', /must be a list/],
    ['an unknown data element', { dataElements: ['name', 'blood_type'] }, 'dataElements[1]', /must be one of: name, address/],
    ['a data element twice', { dataElements: ['ssn', 'ssn'] }, 'dataElements[1]', /listed twice/],
    ['too many data elements', { dataElements: new Array(13).fill('name') }, 'dataElements', /only 12 kinds/],
    ['an unknown data state', { safeguards: { encryption: { applied: true, dataState: 'archived' } } }, 'safeguards.encryption.dataState', /at_rest, in_motion, in_use/],
    ['a statement received before discovery', { lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-01', delayUntil: '2026-06-01' } }, 'lawEnforcementDelay.receivedOn', /2026-03-01 is before the discovery date \(2026-03-02\): if law enforcement knew/],
    ['a discovery after 2100', { discovery: { date: '9999-12-31' } }, 'discovery.date', /after 2100/],
    ['a discovery instant after 2100', { discovery: { at: '2101-01-01T12:00:00Z', timezone: 'UTC' } }, 'discovery.at', /after 2100/],
    ['a hold ending after 2100', { lawEnforcementDelay: { statement: 'written', receivedOn: '2026-03-05', delayUntil: '9999-12-31' } }, 'lawEnforcementDelay.delayUntil', /after 2100/],
    ['a business associate discovery after the covered entity\'s', { businessAssociate: { discoveredOn: '2026-03-03', agent: true } }, 'businessAssociate.discoveredOn', /after the covered entity's own discovery \(2026-03-02\)/],
    ['an agency that is not true, false or "unknown"', { businessAssociate: { discoveredOn: '2026-02-20', agent: 'maybe' } }, 'businessAssociate.agent', /true .* false .* "unknown"/],
    ['a business associate discovery that is not a date', { businessAssociate: { discoveredOn: 'last week', agent: true } }, 'businessAssociate.discoveredOn', /calendar date/],
    ['a business associate naming its own business associate', { entity: { type: 'business_associate' }, businessAssociate: { discoveredOn: '2026-02-20', agent: true } }, 'businessAssociate', /for a covered entity/],
    ['a non-boolean licensed facility', { entity: { type: 'covered_entity', licensedHealthFacility: 'yes' } }, 'entity.licensedHealthFacility', /true or false/],
  ])('names the field for %s', (_label, patch, path, message) => {
    const errors = errorsFor(patch);
    expect(errors).toContainEqual({ path, message: expect.stringMatching(message) });
  });

  it('reports every problem at once, not only the first', () => {
    const result = validateFacts({ discovery: { date: 'soon' }, entity: { type: 'x' }, affected: { total: -1 } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.path)).toEqual(['discovery.date', 'entity.type', 'affected.total']);
  });

  it.each([null, [], 'facts', 42])('refuses %p as the whole input', (input) => {
    const result = validateFacts(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0].message).toMatch(/must be an object/);
  });

  it('requires the three core parts', () => {
    const result = validateFacts({});
    expect(result.ok ? [] : result.errors.map((e) => e.path)).toEqual(['discovery', 'entity', 'affected']);
  });
});
