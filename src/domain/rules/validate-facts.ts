import { earlierOf, isLocalDate, isTimeZone, LocalDate, localDateIn, yearOf } from './calendar';
import {
  DATA_ELEMENTS,
  DATA_FORMATS,
  DATA_STATES,
  DiscoveryFacts,
  ENTITY_TYPES,
  EXCEPTIONS,
  IncidentFacts,
  Jurisdiction,
  JURISDICTIONS,
} from './facts';
import { Checker, FieldError, JsonObject, Validated } from '../validation';

/** Subpart D covers breaches that occur on or after this day (45 CFR 164.400). */
export const SUBPART_D_EFFECTIVE: LocalDate = '2009-09-23';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const TOP_LEVEL = [
  'discovery', 'entity', 'safeguards', 'exception', 'riskAssessment', 'affected',
  'lawEnforcementDelay', 'dataFormat', 'determinedOn', 'dataElements', 'businessAssociate',
] as const;

/** No date after this year is planned: a typo (9999-12-31), never a real discovery. */
export const LAST_PLANNED_YEAR = 2100;

/** Longest list of data elements taken: the vocabulary has 12, so more is a mistake. */
const MAX_DATA_ELEMENTS = DATA_ELEMENTS.length;

/** The local calendar date every clock counts from (45 CFR 164.404(a)(2)). */
export function discoveryDateOf(discovery: DiscoveryFacts): LocalDate {
  if ('date' in discovery) return discovery.date;
  const local = localDateIn(new Date(discovery.at), discovery.timezone);
  if (!local) throw new RangeError('discovery timezone was not validated');
  return local;
}

function date(c: Checker, v: unknown, path: string): LocalDate | undefined {
  if (!isLocalDate(v)) return c.fail(path, `must be a calendar date written YYYY-MM-DD, got ${JSON.stringify(v)}`);
  if (yearOf(v) > LAST_PLANNED_YEAR) return c.fail(path, `${v} is after ${LAST_PLANNED_YEAR}: check the year`);
  return v;
}

function optional<T>(o: JsonObject, key: string, check: (v: unknown) => T | undefined): T | undefined {
  return o[key] === undefined ? undefined : check(o[key]);
}

function checkDiscovery(c: Checker, v: unknown): LocalDate | undefined {
  const d = c.object(v, 'discovery', ['date', 'at', 'timezone']);
  if (!d) return undefined;
  const hasDate = d.date !== undefined;
  const hasInstant = d.at !== undefined || d.timezone !== undefined;
  if (hasDate === hasInstant) {
    return c.fail('discovery', 'give exactly one of { "date" } or { "at", "timezone" }');
  }
  let local: LocalDate | undefined;
  if (hasDate) {
    local = date(c, d.date, 'discovery.date');
  } else {
    const at = typeof d.at === 'string' && INSTANT.test(d.at) && !Number.isNaN(Date.parse(d.at)) ? d.at : undefined;
    if (!at) c.fail('discovery.at', 'must be an ISO 8601 timestamp with a zone offset, e.g. 2026-01-01T04:30:00Z');
    const zone = typeof d.timezone === 'string' && isTimeZone(d.timezone) ? d.timezone : undefined;
    if (!zone) c.fail('discovery.timezone', `must be an IANA time zone such as America/New_York, got ${JSON.stringify(d.timezone)}`);
    if (at && zone) local = localDateIn(new Date(at), zone) ?? undefined;
    if (local && yearOf(local) > LAST_PLANNED_YEAR) {
      c.fail('discovery.at', `${local} is after ${LAST_PLANNED_YEAR}: check the year`);
      local = undefined;
    }
  }
  if (local && local < SUBPART_D_EFFECTIVE) {
    c.fail('discovery', `${local} is before ${SUBPART_D_EFFECTIVE}, when the Breach Notification Rule took effect (45 CFR 164.400)`);
  }
  return local;
}

function checkSafeguards(c: Checker, v: unknown): void {
  if (v === null) return;
  const s = c.object(v, 'safeguards', ['encryption', 'destruction']);
  if (!s) return;
  const enc = optional(s, 'encryption', (e) =>
    c.object(e, 'safeguards.encryption', ['applied', 'keyCompromised', 'keyStoredWithDevice', 'unlockedAtIncident', 'standard', 'dataState']));
  if (enc) {
    c.boolean(enc.applied, 'safeguards.encryption.applied');
    for (const key of ['keyCompromised', 'keyStoredWithDevice', 'unlockedAtIncident'] as const) {
      optional(enc, key, (x) => c.boolean(x, `safeguards.encryption.${key}`));
    }
    optional(enc, 'standard', (x) => c.string(x, 'safeguards.encryption.standard'));
    optional(enc, 'dataState', (x) => c.oneOf(x, 'safeguards.encryption.dataState', DATA_STATES));
  }
  const des = optional(s, 'destruction', (e) => c.object(e, 'safeguards.destruction', ['applied', 'method']));
  if (des) {
    c.boolean(des.applied, 'safeguards.destruction.applied');
    optional(des, 'method', (x) => c.string(x, 'safeguards.destruction.method'));
  }
}

const KNOWN_CODES: ReadonlySet<string> = new Set(JURISDICTIONS);

function checkAffected(c: Checker, v: unknown): void {
  const a = c.object(v, 'affected', ['total', 'byJurisdiction', 'insufficientContact']);
  if (!a) return;
  const total = a.total === undefined || a.total === null
    ? c.fail('affected.total', 'is required: the number of individuals affected (an estimate is allowed)')
    : c.integer(a.total, 'affected.total', 1);
  const by = optional(a, 'byJurisdiction', (x) => c.object(x, 'affected.byJurisdiction'));
  if (by) {
    let sum = 0;
    for (const code of Object.keys(by)) {
      const count = by[code];
      // The common case (a known code, a whole count) without building the field's path.
      if (KNOWN_CODES.has(code) && typeof count === 'number' && Number.isSafeInteger(count) && count >= 0) {
        sum += count;
        continue;
      }
      const path = `affected.byJurisdiction.${code}`;
      if (!KNOWN_CODES.has(code)) {
        c.fail(path, 'unknown jurisdiction (use a two-letter state code, DC, PR, GU, VI, AS or MP)');
        continue;
      }
      sum += c.integer(count, path, 0) ?? 0;
    }
    if (total !== undefined && sum > total) {
      c.fail('affected.byJurisdiction', `residents add up to ${sum}, more than affected.total (${total})`);
    }
  }
  const bad = optional(a, 'insufficientContact', (x) => c.integer(x, 'affected.insufficientContact', 0));
  if (bad !== undefined && total !== undefined && bad > total) {
    c.fail('affected.insufficientContact', `is ${bad}, more than affected.total (${total})`);
  }
}

function checkStatement(c: Checker, o: JsonObject, path: string, after: LocalDate | undefined): LocalDate | undefined {
  const received = date(c, o.receivedOn, `${path}.receivedOn`);
  if (received && after && received < after) c.fail(`${path}.receivedOn`, `must not be before ${after}`);
  const until = optional(o, 'delayUntil', (x) => date(c, x, `${path}.delayUntil`));
  if (received && until && until < received) c.fail(`${path}.delayUntil`, `must not be before receivedOn (${received})`);
  optional(o, 'official', (x) => c.string(x, `${path}.official`));
  return received;
}

function checkLawEnforcement(c: Checker, v: unknown, discovered: LocalDate | undefined): void {
  if (v === null) return;
  const path = 'lawEnforcementDelay';
  const le = c.object(v, path, ['statement', 'receivedOn', 'delayUntil', 'official', 'writtenFollowUp', 'liftedOn']);
  if (!le) return;
  const kind = c.oneOf(le.statement, `${path}.statement`, ['oral', 'written'] as const);
  const received = checkStatement(c, le, path, undefined);
  if (received && discovered && received < discovered) {
    c.fail(`${path}.receivedOn`, `${received} is before the discovery date (${discovered}): if law enforcement knew of the breach, it was discovered by then (45 CFR 164.404(a)(2)); correct the discovery date`);
  }
  const lifted = optional(le, 'liftedOn', (x) => date(c, x, `${path}.liftedOn`));
  if (lifted && received && lifted < received) c.fail(`${path}.liftedOn`, `must not be before receivedOn (${received})`);
  if (le.writtenFollowUp === undefined) return;
  if (kind === 'written') {
    c.fail(`${path}.writtenFollowUp`, 'only follows an oral statement (45 CFR 164.412(b))');
    return;
  }
  const f = c.object(le.writtenFollowUp, `${path}.writtenFollowUp`, ['receivedOn', 'delayUntil', 'official']);
  if (f) checkStatement(c, f, `${path}.writtenFollowUp`, received);
}

function checkDataElements(c: Checker, v: unknown): void {
  if (!Array.isArray(v)) {
    c.fail('dataElements', 'must be a list such as ["name", "ssn", "medical"]');
    return;
  }
  if (v.length > MAX_DATA_ELEMENTS) {
    c.fail('dataElements', `lists ${v.length} elements; there are only ${MAX_DATA_ELEMENTS} kinds`);
    return;
  }
  const seen = new Set<string>();
  v.forEach((x, i) => {
    const el = c.oneOf(x, `dataElements[${i}]`, DATA_ELEMENTS);
    if (el && seen.has(el)) c.fail(`dataElements[${i}]`, `"${el}" is listed twice`);
    if (el) seen.add(el);
  });
}

/** A covered entity told by its business associate: when the associate found it, and whether it is an agent. */
function checkBusinessAssociate(c: Checker, v: unknown, own: LocalDate | undefined, entityType: unknown): LocalDate | undefined {
  const path = 'businessAssociate';
  const ba = c.object(v, path, ['discoveredOn', 'agent']);
  if (!ba) return undefined;
  if (entityType === 'business_associate') c.fail(path, 'is for a covered entity told of the breach by its business associate; a business associate reports its own discovery');
  if (ba.agent !== true && ba.agent !== false && ba.agent !== 'unknown') {
    c.fail(`${path}.agent`, `must be true (an agent of the covered entity), false (an independent contractor) or "unknown", got ${JSON.stringify(ba.agent)}`);
  }
  const found = date(c, ba.discoveredOn, `${path}.discoveredOn`);
  if (found && own && found > own) {
    c.fail(`${path}.discoveredOn`, `${found} is after the covered entity's own discovery (${own}): the business associate's discovery can only be earlier; leave businessAssociate out if the covered entity found the breach first`);
    return undefined;
  }
  if (found && found < SUBPART_D_EFFECTIVE) c.fail(`${path}.discoveredOn`, `${found} is before ${SUBPART_D_EFFECTIVE}, when the Breach Notification Rule took effect (45 CFR 164.400)`);
  return found;
}

/**
 * A discovery after today cannot be (contract, "Dates that cannot be"). Pure: `today` is the
 * caller's local date in the practice's time zone (or `plan --as-of`). Paths as in the facts.
 */
export function discoveryAfter(facts: IncidentFacts, today: LocalDate): FieldError[] {
  const local = discoveryDateOf(facts.discovery);
  if (local <= today) return [];
  const path = 'date' in facts.discovery ? 'discovery.date' : 'discovery.at';
  return [{ path, message: `${local} is after today (${today} where the practice is): a breach cannot be discovered in the future; check the date` }];
}

/** Validates untrusted input against the notification-plan contract, naming every bad field. */
export function validateFacts(input: unknown): Validated<IncidentFacts> {
  const c = new Checker();
  const o = c.object(input, '', TOP_LEVEL);
  if (!o) return { ok: false, errors: c.errors };

  const discovered = o.discovery === undefined ? c.fail('discovery', 'is required') : checkDiscovery(c, o.discovery);
  const entity = o.entity === undefined
    ? c.fail('entity', 'is required')
    : c.object(o.entity, 'entity', ['type', 'state', 'licensedHealthFacility']);
  if (entity) {
    c.oneOf(entity.type, 'entity.type', ENTITY_TYPES);
    optional(entity, 'state', (x) => c.oneOf<Jurisdiction>(x, 'entity.state', JURISDICTIONS, 'must be a known jurisdiction code'));
    optional(entity, 'licensedHealthFacility', (x) => c.boolean(x, 'entity.licensedHealthFacility'));
  }
  optional(o, 'safeguards', (x) => checkSafeguards(c, x));
  if (o.exception !== undefined && o.exception !== null) {
    c.oneOf(o.exception, 'exception', EXCEPTIONS, 'unknown exception; expected null or one of');
  }
  if (o.riskAssessment !== undefined && o.riskAssessment !== null) {
    const r = c.object(o.riskAssessment, 'riskAssessment', ['lowProbabilityOfCompromise']);
    if (r) c.boolean(r.lowProbabilityOfCompromise, 'riskAssessment.lowProbabilityOfCompromise');
  }
  if (o.affected === undefined) c.fail('affected', 'is required');
  else checkAffected(c, o.affected);
  const baFound = optional(o, 'businessAssociate', (x) => checkBusinessAssociate(c, x, discovered, entity?.type));
  optional(o, 'lawEnforcementDelay', (x) => checkLawEnforcement(c, x, discovered && baFound ? earlierOf(discovered, baFound) : discovered));
  optional(o, 'dataFormat', (x) => c.oneOf(x, 'dataFormat', DATA_FORMATS));
  optional(o, 'dataElements', (x) => checkDataElements(c, x));
  const determined = optional(o, 'determinedOn', (x) => date(c, x, 'determinedOn'));
  if (determined && discovered && determined < discovered) {
    c.fail('determinedOn', `must not be before the discovery date (${discovered})`);
  }

  if (!c.ok) return { ok: false, errors: c.errors };
  return { ok: true, value: o as unknown as IncidentFacts };
}

