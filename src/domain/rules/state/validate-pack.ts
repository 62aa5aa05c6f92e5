import { isLocalDate } from '../calendar';
import { DATA_ELEMENTS, DataElement, JURISDICTIONS } from '../facts';
import { Checker, JsonObject, join, Validated } from '../../validation';
import {
  CLOCK_ANCHORS, CLOCK_RELATIONS, ClockAnchor, CONFIDENCES, HEALTH_LAW_SUBJECTS, HIPAA_DEEMED, RulePack,
} from './pack-types';

/**
 * Validates the rule pack at load: every problem names its entry (`states.CA.regulators[0].clock.days`),
 * including entries that are incomplete (medium confidence without saying what to confirm) or
 * contradict themselves (a credit-monitoring offer for data the statute does not cover).
 */

const SOURCED_KEYS = ['citation', 'verify', 'verifyReason'];
const CLOCK_KEYS = ['from', 'days', 'unit', 'relation', 'wording', 'notLaterThanIndividualNotice', 'notExtendable', 'effectiveFrom', 'before'];
const STATE_KEYS = [
  'name', 'statute', 'confidence', 'recalled', 'verifyReason', 'coversPaper', 'personalInformation', 'individualNotice',
  'regulators', 'consumerReportingAgencies', 'serviceProviderNotice', 'creditMonitoring', 'healthLaws', 'holidays', 'notes',
];

function checkSourced(c: Checker, o: JsonObject, path: string): void {
  c.string(o.citation, join(path, 'citation'));
  const verify = c.boolean(o.verify, join(path, 'verify'));
  if (o.verifyReason !== undefined) c.string(o.verifyReason, join(path, 'verifyReason'));
  if (verify && o.verifyReason === undefined) c.fail(join(path, 'verifyReason'), 'is required when verify is true');
}

function checkClock(c: Checker, v: unknown, path: string, anchors: readonly ClockAnchor[]): void {
  const o = c.object(v, path, CLOCK_KEYS);
  if (!o) return;
  const from = c.oneOf(o.from, join(path, 'from'), anchors);
  c.integer(o.days, join(path, 'days'), 0);
  c.oneOf(o.unit, join(path, 'unit'), ['calendar', 'business'] as const);
  if (o.relation !== undefined) {
    const relation = c.oneOf(o.relation, join(path, 'relation'), CLOCK_RELATIONS);
    if (relation === 'before' && (from !== 'individual_notice' || o.days !== 0)) {
      c.fail(join(path, 'relation'), '"before" needs from: individual_notice and days: 0 (before the notice to residents)');
    }
  }
  if (o.wording !== undefined) c.string(o.wording, join(path, 'wording'));
  if (o.notLaterThanIndividualNotice !== undefined) c.boolean(o.notLaterThanIndividualNotice, join(path, 'notLaterThanIndividualNotice'));
  if (o.notLaterThanIndividualNotice === true && from === 'individual_notice') c.fail(join(path, 'notLaterThanIndividualNotice'), 'contradicts from: individual_notice (a clock from the notice cannot also end by it)');
  if (o.notExtendable !== undefined) c.boolean(o.notExtendable, join(path, 'notExtendable'));
  if (o.effectiveFrom !== undefined && !isLocalDate(o.effectiveFrom)) c.fail(join(path, 'effectiveFrom'), 'must be a date YYYY-MM-DD');
  if (o.before !== undefined) {
    if (o.effectiveFrom === undefined) c.fail(join(path, 'before'), 'needs effectiveFrom (the date the newer clock took effect)');
    if (o.before !== null) checkClock(c, o.before, join(path, 'before'), anchors);
  }
}

function checkElements(c: Checker, v: unknown, path: string): DataElement[] {
  if (!Array.isArray(v)) return c.fail(path, 'must be an array of data elements') ?? [];
  v.forEach((e, n) => c.oneOf(e, join(path, n), DATA_ELEMENTS));
  return v.filter((e): e is DataElement => (DATA_ELEMENTS as readonly string[]).includes(e));
}

function checkThreshold(c: Checker, v: unknown, path: string): void {
  if (v === undefined) return;
  const t = c.object(v, path, ['comparison', 'residents']);
  if (!t) return;
  c.oneOf(t.comparison, join(path, 'comparison'), ['>', '>='] as const);
  c.integer(t.residents, join(path, 'residents'), 0);
}

function checkArray(c: Checker, v: unknown, path: string): unknown[] {
  return Array.isArray(v) ? v : (c.fail(path, 'must be an array') ?? []);
}

function checkRegulators(c: Checker, v: unknown, path: string): void {
  const ids = new Set<string>();
  checkArray(c, v, path).forEach((r, n) => {
    const p = join(path, n);
    const o = c.object(r, p, [...SOURCED_KEYS, 'id', 'recipient', 'what', 'threshold', 'clock', 'survivesHipaaDeemer']);
    if (!o) return;
    checkSourced(c, o, p);
    const id = c.string(o.id, join(p, 'id'));
    if (id && ids.has(id)) c.fail(join(p, 'id'), `duplicate regulator id "${id}"`);
    if (id) ids.add(id);
    c.string(o.recipient, join(p, 'recipient'));
    c.string(o.what, join(p, 'what'));
    checkThreshold(c, o.threshold, join(p, 'threshold'));
    checkClock(c, o.clock, join(p, 'clock'), CLOCK_ANCHORS);
    if (o.survivesHipaaDeemer !== undefined) c.boolean(o.survivesHipaaDeemer, join(p, 'survivesHipaaDeemer'));
  });
}

function checkHealthLaws(c: Checker, v: unknown, path: string): void {
  checkArray(c, v, path).forEach((h, n) => {
    const p = join(path, n);
    const o = c.object(h, p, [...SOURCED_KEYS, 'id', 'name', 'appliesTo', 'elements', 'notices']);
    if (!o) return;
    checkSourced(c, o, p);
    c.string(o.id, join(p, 'id'));
    c.string(o.name, join(p, 'name'));
    c.oneOf(o.appliesTo, join(p, 'appliesTo'), HEALTH_LAW_SUBJECTS);
    if (checkElements(c, o.elements, join(p, 'elements')).length === 0) c.fail(join(p, 'elements'), 'must name at least one data element');
    const notices = checkArray(c, o.notices, join(p, 'notices'));
    if (notices.length === 0) c.fail(join(p, 'notices'), 'must hold at least one notice');
    notices.forEach((x, k) => {
      const q = join(join(p, 'notices'), k);
      const notice = c.object(x, q, ['id', 'audience', 'recipient', 'what', 'clock']);
      if (!notice) return;
      c.string(notice.id, join(q, 'id'));
      c.oneOf(notice.audience, join(q, 'audience'), ['regulator', 'individuals'] as const);
      c.string(notice.recipient, join(q, 'recipient'));
      c.string(notice.what, join(q, 'what'));
      checkClock(c, notice.clock, join(q, 'clock'), ['discovery', 'determination']);
    });
  });
}

function checkHolidays(c: Checker, v: unknown, path: string): void {
  checkArray(c, v, path).forEach((h, n) => {
    const p = join(path, n);
    const o = c.object(h, p, ['name', 'month', 'day', 'weekday', 'nth', 'offsetDays']);
    if (!o) return;
    c.string(o.name, join(p, 'name'));
    const month = c.integer(o.month, join(p, 'month'), 1);
    if (month !== undefined && month > 12) c.fail(join(p, 'month'), 'must be 1 to 12');
    if (o.day !== undefined) c.integer(o.day, join(p, 'day'), 1);
    else {
      c.integer(o.weekday, join(p, 'weekday'), 0);
      c.integer(o.nth, join(p, 'nth'), 1);
      if (o.offsetDays !== undefined) c.integer(o.offsetDays, join(p, 'offsetDays'), 0);
    }
  });
}

function checkIndividual(c: Checker, v: unknown, path: string): void {
  if (v === null) return;
  const i = c.object(v, path, [...SOURCED_KEYS, 'clock', 'wording', 'hipaaDeemedCompliance', 'hipaaDeemedWhy', 'deemerKeepsClock']);
  if (!i) return;
  if (i.deemerKeepsClock !== undefined) c.boolean(i.deemerKeepsClock, join(path, 'deemerKeepsClock'));
  if (i.deemerKeepsClock === true && i.clock === null) c.fail(join(path, 'deemerKeepsClock'), 'needs a clock to keep');
  checkSourced(c, i, path);
  if (i.clock !== null) checkClock(c, i.clock, join(path, 'clock'), ['discovery', 'determination']);
  c.string(i.wording, join(path, 'wording'));
  c.oneOf(i.hipaaDeemedCompliance, join(path, 'hipaaDeemedCompliance'), HIPAA_DEEMED);
  c.string(i.hipaaDeemedWhy, join(path, 'hipaaDeemedWhy'));
}

function checkOptional(c: Checker, v: unknown, path: string, keys: string[], rest: (o: JsonObject) => void): JsonObject | undefined {
  if (v === null) return undefined;
  const o = c.object(v, path, [...SOURCED_KEYS, ...keys]);
  if (!o) return undefined;
  checkSourced(c, o, path);
  rest(o);
  return o;
}

function checkState(c: Checker, v: unknown, path: string): void {
  if (v && typeof v === 'object' && 'noStatute' in v) {
    const n = c.object(v, path, ['name', 'noStatute', 'why']);
    if (n && n.noStatute !== true) c.fail(join(path, 'noStatute'), 'must be true');
    if (n) { c.string(n.name, join(path, 'name')); c.string(n.why, join(path, 'why')); }
    return;
  }
  const s = c.object(v, path, STATE_KEYS);
  if (!s) return;
  c.string(s.name, join(path, 'name'));
  c.string(s.statute, join(path, 'statute'));
  const confidence = c.oneOf(s.confidence, join(path, 'confidence'), CONFIDENCES);
  const recalled = checkArray(c, s.recalled, join(path, 'recalled'));
  recalled.forEach((r, n) => c.string(r, join(join(path, 'recalled'), n)));
  if (s.verifyReason !== undefined) c.string(s.verifyReason, join(path, 'verifyReason'));
  if (confidence !== undefined && confidence !== 'high' && s.verifyReason === undefined) {
    c.fail(join(path, 'verifyReason'), `is required when confidence is ${confidence}: say what to confirm`);
  }
  if (s.coversPaper !== null) c.boolean(s.coversPaper, join(path, 'coversPaper'));
  const pi = c.object(s.personalInformation, join(path, 'personalInformation'), ['withName', 'alone', 'citation', 'otherElements']);
  let covered: DataElement[] = [];
  if (pi) {
    covered = [...checkElements(c, pi.withName, join(path, 'personalInformation.withName')), ...checkElements(c, pi.alone, join(path, 'personalInformation.alone'))];
    if (covered.length === 0) c.fail(join(path, 'personalInformation'), 'names no data element: the statute could never apply');
    c.string(pi.citation, join(path, 'personalInformation.citation'));
    if (pi.otherElements !== undefined) {
      const other = c.object(pi.otherElements, join(path, 'personalInformation.otherElements'), ['covers', 'withName']);
      if (other) {
        c.string(other.covers, join(path, 'personalInformation.otherElements.covers'));
        c.boolean(other.withName, join(path, 'personalInformation.otherElements.withName'));
      }
      if (covered.includes('other')) c.fail(join(path, 'personalInformation.otherElements'), 'contradicts "other" in the lists: name the elements here or there, not both');
    }
  }
  checkIndividual(c, s.individualNotice, join(path, 'individualNotice'));
  checkRegulators(c, s.regulators, join(path, 'regulators'));
  checkOptional(c, s.consumerReportingAgencies, join(path, 'consumerReportingAgencies'), ['threshold', 'clock'], (o) => {
    checkThreshold(c, o.threshold, join(path, 'consumerReportingAgencies.threshold'));
    checkClock(c, o.clock, join(path, 'consumerReportingAgencies.clock'), CLOCK_ANCHORS);
  });
  checkOptional(c, s.serviceProviderNotice, join(path, 'serviceProviderNotice'), ['clock', 'wording'], (o) => {
    if (o.clock !== null) checkClock(c, o.clock, join(path, 'serviceProviderNotice.clock'), ['discovery', 'determination']);
    c.string(o.wording, join(path, 'serviceProviderNotice.wording'));
  });
  if (s.creditMonitoring !== null && s.individualNotice === null) c.fail(join(path, 'creditMonitoring'), 'needs an individualNotice: the offer is printed in the notice to residents');
  checkOptional(c, s.creditMonitoring, join(path, 'creditMonitoring'), ['months', 'when', 'what'], (o) => {
    c.integer(o.months, join(path, 'creditMonitoring.months'), 1);
    c.string(o.what, join(path, 'creditMonitoring.what'));
    for (const e of checkElements(c, o.when, join(path, 'creditMonitoring.when'))) {
      if (!covered.includes(e)) c.fail(join(path, 'creditMonitoring.when'), `"${e}" is not in the statute's personal information: the offer contradicts the definition`);
    }
  });
  checkHealthLaws(c, s.healthLaws, join(path, 'healthLaws'));
  checkHolidays(c, s.holidays, join(path, 'holidays'));
  if (!Array.isArray(s.notes) || s.notes.some((n) => typeof n !== 'string')) c.fail(join(path, 'notes'), 'must be an array of strings');
}

/** Validates a parsed rule pack; every problem names its entry. */
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
