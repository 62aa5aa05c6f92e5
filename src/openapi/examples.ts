/** Real request bodies for the API document (test/openapi-conformance.spec.ts sends each one). */

export const FACTS_EXAMPLE = {
  discovery: { date: '2026-09-14' },
  entity: { type: 'covered_entity', state: 'IL' },
  safeguards: { encryption: { applied: false } },
  exception: null,
  riskAssessment: null,
  affected: { total: 2400, byJurisdiction: { IL: 1800, WI: 600 }, insufficientContact: 14 },
  dataFormat: 'electronic',
};

export const INTAKE_EXAMPLE = { summary: 'A laptop with the appointment schedule was stolen from a staff car', facts: FACTS_EXAMPLE };

export const EVENT_EXAMPLE = { type: 'triage.started' };

export const SETTINGS_EXAMPLE = {
  practiceName: 'Lakeside Family Medicine',
  ownerEmail: 'owner@lakeside.example',
  privacyOfficerEmail: 'privacy@lakeside.example',
  reminders: { ladderDaysBefore: [30, 14, 7, 3, 1], escalateFromDaysBefore: 7, sendHour: 8, digest: false },
  contact: { tollFreePhone: '1-800-555-0100', website: 'https://lakeside.example/notice' },
};

export const NEW_USER_EXAMPLE = { email: 'pat@lakeside.example', name: 'Pat Privacy', role: 'privacy_officer', password: 'a long enough passphrase' };

export const NEW_TOKEN_EXAMPLE = { label: 'billing system', expiresInDays: 90 };

export const PASSWORD_CHANGE_EXAMPLE = { currentPassword: 'the old passphrase', newPassword: 'a new long passphrase' };

export const NOTICE_CONTENT_EXAMPLE = {
  whatHappened: "A laptop holding appointment lists was stolen from a staff member's car. It was not encrypted.",
  breachDates: { start: '2026-09-12', end: '2026-09-13' },
  phiTypes: ['name', 'date_of_birth'],
  stepsForIndividuals: 'Review the statements from your health insurer and tell us about any service you did not receive.',
  whatWeAreDoing: 'We reported the theft to the police and are encrypting every laptop.',
  typeOfBreach: ['theft'],
  locations: ['laptop'],
};

export const BATCH_SENT_EXAMPLE = { sentOn: '2026-09-30' };

export const REMOVAL_EXAMPLE = { people: [3], reason: 'listed by mistake: not a patient of the practice' };

export const RETURNED_MAIL_EXAMPLE = { returnedOn: '2026-10-06', people: [2] };

export const ROSTER_CSV_EXAMPLE = 'name,state,address1,city,mail_state,postal_code\nAda Example,IL,1 Main St,Springfield,IL,62701\n';

/** Accepting the rule pack the server runs (its version, as the preview names it). */
export const PACK_ACCEPT_EXAMPLE = { rulePackVersion: (require('../../config/state-rules.json') as { version: string }).version };
