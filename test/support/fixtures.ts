/** Incident facts shared by the HTTP suites: 1,200 affected, 900 in New York. */
export const FACTS_NY = {
  discovery: { at: '2026-03-02T15:30:00Z', timezone: 'America/New_York' },
  entity: { type: 'covered_entity', state: 'NY' },
  affected: { total: 1200, byJurisdiction: { NY: 900, NJ: 300 }, insufficientContact: 12 },
  // Names and medical information: New Jersey's statute does not cover it (N.J. Stat. 56:8-161).
  dataElements: ['name', 'medical'],
};
