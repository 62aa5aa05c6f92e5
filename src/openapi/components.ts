import { ROLES } from '../auth/actor';
import { COPY_KINDS } from '../domain/reminders/reminder-settings';
import { EVENT_TYPES } from '../domain/lifecycle/incident-events';
import { CONTAINMENT_ITEMS, RISK_FACTORS } from '../domain/lifecycle/incident.types';
import { ACTIONS, BREACH_TYPES, LOCATIONS, PHI_TYPES, SAFEGUARDS } from '../domain/letters/notice-content';
import { DATA_ELEMENTS, DATA_FORMATS, DATA_STATES, ENTITY_TYPES, EXCEPTIONS, JURISDICTIONS } from '../domain/rules/facts';
import { PHASES } from '../incidents/incident-requests';
import { ACCESS_EVENT_TYPES } from '../audit/access-log';
import { REDACTION_REASONS } from '../audit/free-text';
import { ATTACHMENT_KINDS } from '../domain/evidence/attachment-kinds';
import { COVERAGE_PARTS } from '../domain/insurance/coverage';
import { MAX_DOLLARS } from '../domain/insurance/insurance-events';
import { anyValue, arr, bool, date, dateTime, int, JsonSchema, map, nullable, num, obj, oneOf, ref, str, text, uuid } from './json-schema';

/**
 * The API's named schemas. Closed lists come from the constants the validators check against;
 * the field lists of every request body are compared with what the validators accept by
 * test/openapi-conformance.spec.ts (an unknown field is refused with the list of known ones).
 */

/** A response object: these fields at least (the server may add more). */
function res(fields: Record<string, JsonSchema>, description?: string): JsonSchema {
  const o = obj(fields);
  delete o.additionalProperties;
  return description ? { ...o, description } : o;
}

const jurisdiction = oneOf(JURISDICTIONS, 'A two-letter state code, DC, PR, GU, VI, AS or MP');
const statement = { receivedOn: date(), 'delayUntil?': date(), 'official?': text() };

const dollarsSchema = num({ minimum: 0, maximum: MAX_DOLLARS, description: 'US dollars, two decimals at most' });

/** Encryption as recorded: only the named standards and data states can secure PHI (safe-harbor.ts). */
const encryption = obj({
  applied: bool(), 'keyCompromised?': bool(), 'keyStoredWithDevice?': bool(), 'unlockedAtIncident?': bool(),
  'standard?': text('Matched against the HHS-named processes (NIST SP 800-111, 800-52, 800-77, 800-113, FIPS 140-2, FIPS 140-3); anything else is not secured'),
  'dataState?': oneOf(DATA_STATES, 'in_use is never secured'),
});

const facts = obj({
  discovery: {
    description: 'When the breach was discovered: a calendar date, or an instant with its IANA time zone (exactly one of the two)',
    oneOf: [
      obj({ date: date('The local calendar day of discovery') }),
      obj({ at: dateTime('An ISO 8601 timestamp with a zone offset'), timezone: text('An IANA time zone, e.g. America/New_York') }),
    ],
  },
  entity: obj({ type: oneOf(ENTITY_TYPES), 'state?': jurisdiction, 'licensedHealthFacility?': bool() }),
  'safeguards?': nullable(obj({
    'encryption?': encryption,
    'destruction?': obj({ applied: bool(), 'method?': text() }),
  })),
  'exception?': { type: 'string', enum: [...EXCEPTIONS, null], nullable: true, description: 'One of the three exceptions of 45 CFR 164.402(1), or null' },
  'riskAssessment?': nullable(obj({ lowProbabilityOfCompromise: bool() })),
  affected: obj({
    total: int(1, { description: 'Individuals affected (an estimate is allowed)' }),
    'byJurisdiction?': map(int(0), 'Residents per jurisdiction (keys: state codes, DC, PR, GU, VI, AS, MP)'),
    'insufficientContact?': int(0, { description: 'Individuals with out-of-date or insufficient contact information' }),
  }),
  'lawEnforcementDelay?': nullable(obj({
    statement: oneOf(['oral', 'written']), ...statement,
    'writtenFollowUp?': obj(statement), 'liftedOn?': date(),
  })),
  'dataFormat?': oneOf(DATA_FORMATS),
  'determinedOn?': date(),
  'dataElements?': arr(oneOf(DATA_ELEMENTS), { maxItems: DATA_ELEMENTS.length, uniqueItems: true }),
  'businessAssociate?': obj({
    discoveredOn: date('When the business associate discovered the breach'),
    agent: { description: 'Whether the business associate is the covered entity\'s agent: true, false or "unknown"', oneOf: [bool(), oneOf(['unknown'])] },
  }),
}, { description: 'The facts of a suspected breach (the notification-plan contract: docs/notification-plan.md)' });

const explained = {
  why: str({ description: 'The rule in plain words' }),
  citation: str({ description: '45 CFR paragraph or state statute' }),
  verify: bool('true when counsel should confirm the reading'),
  'verifyReason?': str(),
};

const regime = str({ pattern: '^(HIPAA|US-[A-Z]{2})$', description: 'HIPAA, or US- and a jurisdiction code' });
const obligation = res({
  key: str(), regime, audience: oneOf(['individuals', 'substitute_notice', 'media', 'hhs', 'covered_entity', 'regulator']),
  'jurisdiction?': jurisdiction, 'form?': oneOf(['alternative', 'web_or_media_with_toll_free']),
  'track?': oneOf(['with_individual_notice', 'annual_log']), recipient: str(), dueOn: date(), 'dueBeforeHold?': date(), ...explained,
});

const planFields = {
  notificationRequired: bool(),
  determination: oneOf(['safe_harbor', 'exception', 'low_probability', 'breach']),
  discoveryDate: date(),
  rulePackVersion: str(),
  determinationReason: res(explained),
  discoveryDateReason: str(),
  lawEnforcementHold: nullable(res({ endsOn: date(), ...explained })),
  notes: arr(res({ regime, ...explained })),
  verify: bool(),
};

const trackedObligation = res({
  key: str(), regime: str({ description: 'HIPAA, US- and a jurisdiction, or POLICY (the insurance policy)' }),
  audience: str(), recipient: str(), dueOn: date(), why: str(), citation: str(), verify: bool(),
  status: str({ description: 'open, done or waived' }), 'proof?': anyValue('The recorded proof: date, method, count'), 'reason?': str(),
  'furtherMailings?': arr(res({ sentOn: date(), method: str(), count: int(0), batchId: str(), 'duringHold?': anyValue('Sent during a law-enforcement hold: its end and the reason') }),
    { description: 'Later mailings on the same obligation (people added after the first was sent), oldest first; the first stays the proof (45 CFR 164.404(d)(1)(i))' }),
});

const factsChange = obj({
  'discovery?': anyValue('As in the facts'), 'affected?': anyValue('As in the facts'), 'dataFormat?': oneOf(DATA_FORMATS),
  'determinedOn?': date(), 'entity?': anyValue('As in the facts'), 'businessAssociate?': anyValue('As in the facts'),
  'dataElements?': anyValue('As in the facts'),
}, { minProperties: 1, description: 'Facts to change; the whole facts are checked once merged' });

const factors = obj(Object.fromEntries(RISK_FACTORS.map((f) => [f, obj({ finding: text(), evidence: str({ description: 'Empty when there is none yet' }) })])));

const contact = obj({
  'tollFreePhone?': text('A US toll-free number, e.g. 1-800-555-0100'), 'email?': str({ format: 'email' }),
  'website?': str({ format: 'uri', pattern: '^https?://' }),
  'postalAddress?': obj({ line1: text(), 'line2?': str(), city: text(), state: jurisdiction, postalCode: text() }),
  'signatoryName?': text(undefined, 200), 'signatoryTitle?': text(undefined, 200),
  'entityType?': oneOf(['Health Plan', 'Healthcare Clearinghouse', 'Healthcare Provider']),
  'contactPersonName?': text(undefined, 200), 'contactPersonPhone?': text(undefined, 200), 'contactPersonEmail?': str({ format: 'email' }),
  'broker?': text(undefined, 200),
});

const reminders = obj({
  'ladderDaysBefore?': arr(int(0)), 'escalateFromDaysBefore?': int(0), 'sendHour?': int(0, { maximum: 23 }), 'digest?': bool(),
});

const rosterCounts = res({
  people: int(0), byJurisdiction: map(int(0)), byDelivery: res({ mail: int(0), email: int(0), none: int(0) }), insufficientContact: int(0),
  deceasedUnreachable: int(0, { description: 'Deceased people whose next of kin cannot be reached (no substitute notice needed, 164.404(d)(2))' }), returnedMail: int(0),
});

const list = (values: object) => arr(oneOf(Object.keys(values)));
const longText = (description?: string) => text(description, 4000);

export const COMPONENTS: Record<string, JsonSchema> = {
  Errors: res({ errors: arr(res({ path: str({ description: 'The field, header or parameter at fault; empty for the request as a whole' }), message: str() }), { minItems: 1 }) },
    'Every refusal: each problem with the field it names'),
  Facts: facts,
  NotificationPlan: res({ ...planFields, obligations: arr(ref('Obligation')) }),
  Obligation: obligation,
  IncidentIntake: obj({ summary: text('What happened, without patient details', 2000), facts: ref('Facts'), 'privacyOfficerEmail?': { ...str({ format: 'email' }), nullable: true } }),
  IncidentEvent: {
    ...obj({
      type: oneOf(EVENT_TYPES),
      'note?': longText(), 'reason?': longText(), 'item?': oneOf(CONTAINMENT_ITEMS), 'status?': oneOf(['done', 'not_applicable']),
      'encryption?': encryption,
      'destruction?': obj({ applied: bool(), 'method?': text() }),
      'exception?': oneOf(EXCEPTIONS), 'basis?': longText(), 'factors?': factors, 'lowProbability?': bool(),
      'holdConfirmed?': bool('A notice recorded while a law-enforcement hold is in force: confirms it (with holdReason)'), 'holdReason?': longText(),
      'key?': text('An obligation key, e.g. HIPAA/individuals'), 'sentOn?': date(), 'method?': longText(), 'count?': int(0), 'reference?': longText(),
      'changes?': factsChange, 'statement?': oneOf(['oral', 'written']), 'receivedOn?': date(), 'delayUntil?': date(), 'official?': longText(),
      'liftedOn?': date(), 'carrier?': longText(), 'policyNumber?': longText(), 'noticeWindowDays?': int(0), 'on?': date(),
      'claimNumber?': longText(), 'amount?': num({ minimum: 0, maximum: MAX_DOLLARS, description: 'US dollars, two decimals at most' }),
      'privacyOfficerEmail?': { ...str({ format: 'email' }), nullable: true },
      'periodStart?': date(), 'periodEnd?': date(), 'retention?': dollarsSchema, 'aggregateLimit?': dollarsSchema,
      'subLimits?': { ...map(dollarsSchema, 'Per coverage part, in dollars'), additionalProperties: false, properties: Object.fromEntries(COVERAGE_PARTS.map((p) => [p, dollarsSchema])) },
      'excludedParts?': arr(oneOf(COVERAGE_PARTS)), 'consentRequired?': arr(oneOf(COVERAGE_PARTS)), 'panelVendors?': arr(text(undefined, 200), { maxItems: 50 }),
      'proofOfLossMonthsAfterPeriod?': int(1, { maximum: 60 }),
      'vendor?': longText(), 'part?': oneOf(COVERAGE_PARTS), 'description?': longText(), 'invoiceAttachmentId?': longText(), 'consentOn?': date(),
      'batchId?': longText(), 'cost?': text('A cost of the ledger, e.g. C3'),
      'rulePackVersion?': text('plan.packAccepted: the rule pack version being accepted, as GET /api/incidents/{id}/pack-change named it'),
    }),
    description: 'An event: its type and the fields that type takes (an incident accepts the types listed in its acceptedEvents)',
  },
  IncidentView: res({
    id: uuid(), reference: str({ pattern: '^BF-\\d{4}-\\d{4,}$' }), summary: str(), version: int(1),
    state: res({ phase: oneOf(PHASES), value: anyValue('The machine state'), open: bool(), steps: arr(res({ label: str(), help: str() })) }),
    acceptedEvents: arr(oneOf(EVENT_TYPES)), facts: ref('Facts'), plan: res(planFields), obligations: arr(trackedObligation),
    containment: anyValue('Each containment item with its status'), assessment: anyValue('The risk assessment, when made'),
    decision: anyValue('The decision, when made'), insurance: anyValue('The policy and claim'), closure: anyValue('How it was closed'),
    reopenings: int(0), createdAt: dateTime(), updatedAt: dateTime(),
  }),
  IncidentList: res({
    items: arr(res({ id: uuid(), reference: str(), phase: oneOf(PHASES), open: bool(), version: int(1), nextDueOn: nullable(date()), nextDueKey: nullable(str()), overdue: int(0), createdAt: dateTime() })),
    page: int(1), pageSize: int(1), total: int(0),
  }),
  AuditEntry: res({
    seq: int(1), incidentId: uuid(), incidentVersion: int(1), type: str(), payload: anyValue('The event as sent'), changes: anyValue('What it changed'),
    fromPhase: nullable(str()), toPhase: str(), actor: str(), at: dateTime(), stateHash: str(), prevHash: str(), hash: str(),
  }),
  ChainReport: res({
    intact: bool(), events: int(0), incidents: int(0),
    firstBroken: nullable(res({ seq: nullable(int(1)), incidentId: str(), reference: nullable(str()), type: nullable(str()), problem: str() }, 'The first broken link')),
    accessEvents: int(0),
    accessBroken: nullable(res({ seq: int(1), type: str(), problem: str() }, 'The first broken link of the access trail')),
  }),
  Redaction: obj({
    seq: int(1, { description: 'The event (its number in the trail) whose text is redacted' }),
    field: str({ description: 'The field of that event holding the text: note, reason, summary, factors.nature.evidence ...', maxLength: 100 }),
    why: oneOf(REDACTION_REASONS, 'Why it is redacted (a closed list: the tombstone shows it)'),
  }),
  RedactionResult: res({ incidentId: uuid(), seq: int(1), field: str(), why: oneOf(REDACTION_REASONS), replaced: int(0, { description: 'How many stored copies of the text were replaced' }), redactionSeq: int(1, { description: 'The event recording the redaction' }) }),
  PurgeReport: res({ ran: bool('False when another process holds the retention job'), batches: int(0), letterFiles: int(0), emlFiles: int(0) }),
  Health: res({
    status: oneOf(['ok', 'unavailable']), database: oneOf(['ok', 'unreachable']),
    engine: nullable(res({ name: oneOf(['sqlite', 'postgres']), version: str() }, 'The database engine (DATABASE_URL set: PostgreSQL) and its version')),
    migrations: arr(str()),
    rulePack: res({ version: str(), reviewedOn: date(), knownVersions: arr(str()) }),
  }),
  PracticeSettings: res({
    practiceName: nullable(str()), ownerEmail: nullable(str({ format: 'email' })), privacyOfficerEmail: nullable(str({ format: 'email' })),
    reminders: res({ ladderDaysBefore: arr(int(0)), escalateFromDaysBefore: int(0), sendHour: int(0), digest: bool() }), contact,
  }),
  SettingsUpdate: obj({
    'practiceName?': { ...text(undefined, 200), nullable: true }, 'ownerEmail?': { ...str({ format: 'email' }), nullable: true },
    'privacyOfficerEmail?': { ...str({ format: 'email' }), nullable: true }, 'reminders?': reminders, 'contact?': contact,
    'copyTo?': obj(Object.fromEntries(COPY_KINDS.map((k) => [`${k}?`, arr(str({ format: 'email' }), { maxItems: 10 })])), { description: 'Who else is told, per kind of message: reported, replanned, reminder' }),
    'mailingRates?': { ...obj({ postagePerLetter: { type: 'number', minimum: 0, maximum: 100 }, printPerPage: { type: 'number', minimum: 0, maximum: 100 }, 'vendor?': text(undefined, 200) }, { description: "Dollars per letter (postage) and per page (printing): a mailed batch's cost enters the claim ledger by itself" }), nullable: true },
    'retention?': obj({
      'letterFilesDays?': { ...int(30, { maximum: 3650 }), nullable: true, description: 'Remove letter PDFs and the mailing manifest this many days after the batch was marked sent; null keeps them' },
      'emlFilesDays?': { ...int(30, { maximum: 3650 }), nullable: true, description: 'Remove patients\' .eml copies this many days after they were sent; null keeps them' },
    }, { description: 'How long copies holding PHI are kept (the proof, counts, file hashes and audit trail are always kept)' }),
  }),
  Actor: res({ id: str(), 'userId?': uuid(), 'role?': oneOf(ROLES), 'roles?': arr(oneOf(ROLES)), via: oneOf(['session', 'token', 'cli', 'system']) }),
  User: res({ id: uuid(), email: str({ format: 'email' }), name: str(), role: oneOf(ROLES, 'The primary role: the most capable one held'), roles: arr(oneOf(ROLES), { description: 'Every role held; access is their union' }), disabled: bool(), createdAt: dateTime() }),
  UserRoles: obj({ roles: arr(oneOf(ROLES), { minItems: 1, maxItems: 4, description: 'Every role the user is to hold' }), '_csrf?': str({ description: 'Only from a browser form' }) }),
  NewUser: obj({ email: str({ format: 'email' }), name: text(undefined, 100), role: oneOf(ROLES, 'One role; leave it out only when roles is given'), 'roles?': arr(oneOf(ROLES), { minItems: 1, maxItems: 4, description: 'Several roles instead of role: access is their union' }), password: str({ minLength: 12, maxLength: 200 }), '_csrf?': str({ description: 'Only from a browser form' }) }),
  // The token's validator takes the label and ignores anything else.
  NewToken: { ...obj({ label: text('What the token is for', 100), 'expiresInDays?': int(1, { maximum: 365, default: 90 }) }), additionalProperties: true },
  Token: res({ id: uuid(), token: str({ description: 'The secret, shown once' }), label: str(), expiresAt: dateTime() }),
  TokenView: res({ id: uuid(), label: str(), createdAt: dateTime(), expiresAt: nullable(dateTime()), lastUsedAt: nullable(dateTime()), revoked: bool() }),
  PasswordChange: obj({ currentPassword: str({ minLength: 1 }), newPassword: str({ minLength: 12, maxLength: 200 }), '_csrf?': str({ description: 'Only from a browser form' }) }),
  PasswordChanged: res({ changed: bool() }),
  AccessEvent: res({
    seq: int(1), type: oneOf(ACCESS_EVENT_TYPES), actor: str(), at: dateTime(), subject: nullable(str()),
    detail: { type: 'object', additionalProperties: true, description: 'What was touched, by number or id: never PHI' }, prevHash: str(), hash: str(),
  }, 'One access event: a login, a read or export of PHI, a change of users, tokens or settings'),
  NoticeContent: obj({
    'whatHappened?': longText(), 'breachDates?': { oneOf: [oneOf(['unknown']), obj({ start: date(), 'end?': date() })] }, 'discoveryEnd?': date(),
    'phiTypes?': list(PHI_TYPES), 'otherPhi?': longText(), 'stepsForIndividuals?': longText(), 'whatWeAreDoing?': longText(),
    'creditMonitoring?': longText(), 'typeOfBreach?': list(BREACH_TYPES), 'locations?': list(LOCATIONS), 'safeguardsInPlace?': list(SAFEGUARDS),
    'actionsTaken?': list(ACTIONS), 'howDiscovered?': longText(), 'systemsAffected?': longText(), 'coveredEntityName?': longText(),
  }, { description: 'What the notices say (the 164.404(c) elements, the OCR portal answers); about the incident, never about a person' }),
  LetterBatch: res({
    id: uuid(), status: oneOf(['running', 'done', 'failed', 'superseded']), total: int(0), done: int(0), letters: int(0), emails: int(0),
    pages: int(0), files: arr(str()), error: nullable(str()), createdAt: dateTime(), finishedAt: nullable(dateTime()), sentOn: nullable(date()),
  }),
  PackChangePreview: res({
    incidentId: uuid(), reference: str(), pending: bool('Whether accepting would change anything'),
    from: str({ description: 'The rule pack the incident was planned with' }), to: str({ description: 'The rule pack the server runs' }), reviewedOn: nullable(date()),
    added: arr(res({ key: str(), recipient: str(), dueOn: date(), why: str(), citation: str(), verify: bool() })),
    withdrawn: arr(res({ key: str(), recipient: str(), dueOn: date() })),
    moved: arr(res({ key: str(), recipient: str(), from: date(), to: date(), why: str() })),
    obligationsUnchanged: bool(),
  }, 'What re-planning with the loaded rule pack would change'),
  Attachment: res({
    id: uuid(), number: int(1), kind: oneOf(ATTACHMENT_KINDS), kindLabel: str(), fileName: str(), description: str(), contentType: str(),
    bytes: int(0), sha256: str({ pattern: '^[0-9a-f]{64}$' }), supersedes: nullable(uuid()), supersededBy: nullable(uuid()), actor: str(), at: dateTime(),
  }, 'Evidence attached to an incident (file name and description may hold PHI: sealed at rest)'),
  ClaimView: res({
    policy: nullable({ type: 'object', description: 'The policy as recorded (amounts in cents)', additionalProperties: true }),
    costs: arr({ type: 'object', description: 'A ledger entry: id (C1...), on, vendor, amount in cents, part, invoice, consent, withdrawnReason', additionalProperties: true }),
    summary: nullable({ type: 'object', description: 'Totals per coverage part against retention and sub-limits (cents), with warnings', additionalProperties: true }),
    missingForSummary: arr(str()), proofOfLossDue: nullable(date()),
    documentation: arr(res({ item: str(), status: oneOf(['present', 'missing', 'outside breachflow']), detail: str() })),
  }, 'The cyber claim and its cost ledger'),
  PackAccept: obj({ rulePackVersion: text('The version being accepted, as the preview named it') }),
  BatchSent: obj({
    sentOn: date('The day the letters were mailed'),
    'holdConfirmed?': bool('Mailed while a law-enforcement hold is in force: confirms it (with holdReason)'), 'holdReason?': longText(),
  }),
  RosterCounts: rosterCounts,
  RosterSummary: res({ roster: ref('RosterCounts'), imports: arr(ref('RosterImport')) }, 'People per state, delivery, insufficient contact, and the recent imports'),
  RosterImport: res({
    importId: uuid(), status: oneOf(['running', 'done', 'rejected', 'failed']), mode: oneOf(['reject', 'skip']), rowsRead: int(0), imported: int(0),
    invalidRows: int(0), errors: arr(res({ path: str(), message: str() })), duplicates: res({ count: int(0), rows: arr(res({ row: int(1), duplicateOf: str() })) }),
    'roster?': ref('RosterCounts'), 'factsChanged?': bool(), message: str(),
  }),
  RosterRemoval: obj({ people: arr(int(1), { minItems: 1, description: 'Person numbers' }), reason: longText() }),
  ReturnedMail: obj({ returnedOn: date(), people: arr(int(1), { minItems: 1, description: 'Person numbers' }) }),
  RosterRemoved: res({ removed: int(0), roster: ref('RosterCounts'), factsChanged: bool('Whether the facts, and so the plan, changed') }),
  ReturnedMailRecorded: res({ recorded: int(0), roster: ref('RosterCounts'), factsChanged: bool('Whether the facts, and so the plan, changed') }),
};
