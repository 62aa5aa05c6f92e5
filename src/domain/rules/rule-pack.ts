import { isLocalDate, LocalDate } from './calendar';
import { Jurisdiction, JURISDICTIONS } from './facts';
import { Checker, JsonObject, join, Validated } from '../validation';

/**
 * The state-law rule pack: state breach statutes as data (architecture rule 4). The pack is
 * versioned; every plan names the version it used.
 */

export const CLOCK_ANCHORS = ['discovery', 'determination', 'individual_notice', 'hhs_notice'] as const;
export type ClockAnchor = (typeof CLOCK_ANCHORS)[number];

export interface Clock {
  /** What the days count from: discovery, the state-law determination, the notice to the state's
   *  residents, or the notice to HHS. */
  from: ClockAnchor;
  days: number;
  unit: 'calendar' | 'business';
  /** Also no later than the notice to the state's residents (VT's "or sooner"). */
  notLaterThanIndividualNotice?: boolean;
  /** The clock applies to breaches discovered on or after this date. */
  effectiveFrom?: LocalDate;
}

export interface Sourced {
  citation: string;
  verify: boolean;
  verifyReason?: string;
}

export interface StateIndividualRule extends Sourced {
  clock: Clock;
  /** Whether notice given under HIPAA satisfies the state's individual notice. */
  hipaaDeemedCompliance: 'yes' | 'no' | 'unclear';
  hipaaDeemedWhy: string;
}

export interface RegulatorRule extends Sourced {
  id: string;
  recipient: string;
  /** What goes to the regulator, in plain words. */
  what: string;
  /** Absent: any resident of the state triggers it. */
  threshold?: { comparison: '>' | '>='; residents: number };
  clock: Clock;
}

export interface StateRule {
  name: string;
  statute: string;
  /** Does the statute reach paper records? null: the digest does not say. */
  coversPaper: boolean | null;
  individualNotice: StateIndividualRule | null;
  regulators: RegulatorRule[];
  /** A vendor's (third-party agent's) notice to the data owner, for business associates. */
  serviceProviderNotice: (Sourced & { clock: Clock }) | null;
  notes: string[];
}

export interface RulePack {
  version: string;
  reviewedOn: LocalDate;
  source: string;
  states: Partial<Record<Jurisdiction, StateRule>>;
}

const SOURCED_KEYS = ['citation', 'verify', 'verifyReason'];

function checkSourced(c: Checker, o: JsonObject, path: string): void {
  c.string(o.citation, join(path, 'citation'));
  const verify = c.boolean(o.verify, join(path, 'verify'));
  if (o.verifyReason !== undefined) c.string(o.verifyReason, join(path, 'verifyReason'));
  if (verify && o.verifyReason === undefined) c.fail(join(path, 'verifyReason'), 'is required when verify is true');
}

function checkClock(c: Checker, v: unknown, path: string, anchors: readonly ClockAnchor[]): void {
  const o = c.object(v, path, ['from', 'days', 'unit', 'notLaterThanIndividualNotice', 'effectiveFrom']);
  if (!o) return;
  c.oneOf(o.from, join(path, 'from'), anchors);
  c.integer(o.days, join(path, 'days'), 0);
  c.oneOf(o.unit, join(path, 'unit'), ['calendar', 'business'] as const);
  if (o.notLaterThanIndividualNotice !== undefined) c.boolean(o.notLaterThanIndividualNotice, join(path, 'notLaterThanIndividualNotice'));
  if (o.effectiveFrom !== undefined && !isLocalDate(o.effectiveFrom)) c.fail(join(path, 'effectiveFrom'), 'must be a date YYYY-MM-DD');
}

function checkState(c: Checker, v: unknown, path: string): void {
  const s = c.object(v, path, ['name', 'statute', 'coversPaper', 'individualNotice', 'regulators', 'serviceProviderNotice', 'notes']);
  if (!s) return;
  c.string(s.name, join(path, 'name'));
  c.string(s.statute, join(path, 'statute'));
  if (s.coversPaper !== null) c.boolean(s.coversPaper, join(path, 'coversPaper'));
  if (s.individualNotice !== null) {
    const p = join(path, 'individualNotice');
    const i = c.object(s.individualNotice, p, [...SOURCED_KEYS, 'clock', 'hipaaDeemedCompliance', 'hipaaDeemedWhy']);
    if (i) {
      checkSourced(c, i, p);
      checkClock(c, i.clock, join(p, 'clock'), ['discovery', 'determination']);
      c.oneOf(i.hipaaDeemedCompliance, join(p, 'hipaaDeemedCompliance'), ['yes', 'no', 'unclear'] as const);
      c.string(i.hipaaDeemedWhy, join(p, 'hipaaDeemedWhy'));
    }
  }
  const regulators = Array.isArray(s.regulators) ? s.regulators : c.fail(join(path, 'regulators'), 'must be an array');
  const ids = new Set<string>();
  regulators?.forEach((r, n) => {
    const p = join(join(path, 'regulators'), n);
    const o = c.object(r, p, [...SOURCED_KEYS, 'id', 'recipient', 'what', 'threshold', 'clock']);
    if (!o) return;
    checkSourced(c, o, p);
    const id = c.string(o.id, join(p, 'id'));
    if (id && ids.has(id)) c.fail(join(p, 'id'), `duplicate regulator id "${id}"`);
    if (id) ids.add(id);
    c.string(o.recipient, join(p, 'recipient'));
    c.string(o.what, join(p, 'what'));
    if (o.threshold !== undefined) {
      const t = c.object(o.threshold, join(p, 'threshold'), ['comparison', 'residents']);
      if (t) {
        c.oneOf(t.comparison, join(p, 'threshold.comparison'), ['>', '>='] as const);
        c.integer(t.residents, join(p, 'threshold.residents'), 0);
      }
    }
    checkClock(c, o.clock, join(p, 'clock'), CLOCK_ANCHORS);
  });
  if (s.serviceProviderNotice !== null) {
    const p = join(path, 'serviceProviderNotice');
    const o = c.object(s.serviceProviderNotice, p, [...SOURCED_KEYS, 'clock']);
    if (o) {
      checkSourced(c, o, p);
      checkClock(c, o.clock, join(p, 'clock'), ['discovery']);
    }
  }
  if (!Array.isArray(s.notes) || s.notes.some((n) => typeof n !== 'string')) c.fail(join(path, 'notes'), 'must be an array of strings');
}

/** Validates a parsed rule pack; every problem names its entry (`states.CA.regulators[0].clock.days`). */
export function validateRulePack(input: unknown): Validated<RulePack> {
  const c = new Checker();
  const o = c.object(input, '', ['$comment', 'version', 'reviewedOn', 'source', 'states']);
  if (!o) return { ok: false, errors: c.errors };
  c.string(o.version, 'version');
  if (!isLocalDate(o.reviewedOn)) c.fail('reviewedOn', 'must be a date YYYY-MM-DD');
  c.string(o.source, 'source');
  const states = c.object(o.states, 'states');
  for (const [code, rule] of Object.entries(states ?? {})) {
    if (!(JURISDICTIONS as readonly string[]).includes(code)) c.fail(join('states', code), 'unknown jurisdiction');
    else checkState(c, rule, join('states', code));
  }
  return c.ok ? { ok: true, value: o as unknown as RulePack } : { ok: false, errors: c.errors };
}
