import { formatCount } from '../format';
import { LocalDate } from '../calendar';
import { DataElement, Jurisdiction } from '../facts';
import { applyHold } from '../hipaa-obligations';
import { LawEnforcementHold, Obligation, PlanNote, Regime } from '../plan.types';
import { ClockContext, clockInForce, runClock } from './clocks';
import { CraRule, HealthLawRule, RegulatorRule, StateRule, Threshold } from './pack-types';
import { elementList } from './triggers';

/** What one state's duties are built from. */
export interface StateCtx {
  code: Jurisdiction;
  regime: Regime;
  name: string;
  residents: number;
  rule: StateRule;
  clock: ClockContext;
  hold: LawEnforcementHold | null;
  /** The elements involved that the statute covers; undefined when the data is not recorded. */
  elements: DataElement[] | undefined;
  /** Reasons every duty of this state carries (confidence, recalled facts, unknown data). */
  stateReasons: string[];
  notes: PlanNote[];
}

export function thresholdMet(t: Threshold | undefined, residents: number): boolean {
  if (!t) return residents > 0;
  return t.comparison === '>' ? residents > t.residents : residents >= t.residents;
}

export function thresholdText(t: Threshold | undefined): string {
  if (!t) return 'any resident is affected';
  let text = thresholdTexts.get(t);
  if (text === undefined) thresholdTexts.set(t, (text = `${t.comparison === '>' ? 'more than' : 'at least'} ${formatCount(t.residents)} residents are affected`));
  return text;
}

/** Made once per threshold of the pack. */
const thresholdTexts = new WeakMap<Threshold, string>();

/**
 * The parts of a duty's or a note's text that depend on nothing but its pack entry (the state's
 * name, statute, recipient, threshold, wording), written once per entry and part: a plan of
 * every jurisdiction would otherwise write the same sentences 54 times, and every plan again.
 * Keyed by the entry object and the part (a rule object of the entry, or a name for the part).
 */
const entryTexts = new WeakMap<StateRule, { name: string; byMaker: Map<unknown, Map<unknown, string>> }>();

export function entryText<P>(ctx: StateCtx, make: (ctx: StateCtx, part: P) => string, part: P): string {
  let entry = entryTexts.get(ctx.rule);
  // The same entry object under another jurisdiction's name (only a hand-made pack does that)
  // starts afresh rather than reading the other name's sentences.
  if (!entry || entry.name !== ctx.name) entryTexts.set(ctx.rule, (entry = { name: ctx.name, byMaker: new Map() }));
  const byMaker = entry.byMaker;
  let texts = byMaker.get(make);
  if (!texts) byMaker.set(make, (texts = new Map()));
  let text = texts.get(part);
  if (text === undefined) texts.set(part, (text = make(ctx, part)));
  return text;
}

const regulatorWhy = (ctx: StateCtx, r: RegulatorRule) => ` residents of ${ctx.name} affected, and ${ctx.rule.statute} requires notice to ${r.recipient} when ${thresholdText(r.threshold)}: send ${r.what}, `;
const regulatorNotRequired = (ctx: StateCtx, r: RegulatorRule) => `Notice to ${r.recipient} is required only when ${thresholdText(r.threshold)}; `;
const craWhy = (ctx: StateCtx, r: CraRule) => ` residents of ${ctx.name} notified, and ${ctx.rule.statute} requires telling the consumer reporting agencies when ${thresholdText(r.threshold)}: the timing, distribution and content of the notice, `;
const craNotRequired = (ctx: StateCtx, r: CraRule) => `The nationwide consumer reporting agencies must be told only when ${thresholdText(r.threshold)}; `;
const noVendorClockNote = (ctx: StateCtx) => `${ctx.name}: the rule pack names no deadline of ${ctx.rule.statute} for a business associate or other third party that keeps the data to tell its owner. The covered entity owes ${ctx.name}'s notices; your own duty to tell it is HIPAA's (45 CFR 164.410(b)), within the deadline your business associate agreement sets.`;
const noVendorClockReason = (ctx: StateCtx) => `Confirm with counsel whether ${ctx.rule.statute} sets a third party's own deadline to tell the data owner; the researched digest names none.`;
const residentsHere = (ctx: StateCtx) => ` residents of ${ctx.name} here, so not required.`;

/** A reason, none, or a list of them (a clock's own), in the order they are to be read. */
export type Reason = string | undefined | readonly string[];

/** Distinct reasons in the order first met; the list is made only once a second one comes. */
interface Collected {
  first: string | undefined;
  all: string[] | undefined;
}

function collect(c: Collected, r: Reason): void {
  if (typeof r === 'string') {
    if (!r || r === c.first) return;
    if (c.first === undefined) c.first = r;
    else if (!c.all) c.all = [c.first, r];
    else if (!c.all.includes(r)) c.all.push(r);
  } else if (r) {
    for (let i = 0; i < r.length; i++) collect(c, r[i]);
  }
}

/** The distinct reasons, first occurrence first, as one text (undefined: nothing to verify). */
export function reasonText(reasons: readonly Reason[], more?: readonly string[]): string | undefined {
  // Loops, not concat/filter/Set: a plan of every jurisdiction merges a few hundred of these.
  const c: Collected = { first: undefined, all: undefined };
  for (let i = 0; i < reasons.length; i++) collect(c, reasons[i]);
  if (more) collect(c, more);
  return c.all ? c.all.join(' ') : c.first;
}

/** An obligation of a state's regime before its verify fields (which `finish` adds). */
export type Draft = Omit<Obligation, 'verify' | 'verifyReason'>;

/** The fields every duty of a state shares, in the plan's field order; `suffix` follows the
 *  regime in the key (`US-NY/regulator/hhs-copy`). */
export function draft(ctx: StateCtx, suffix: string, audience: Obligation['audience'], recipient: string, dueOn: LocalDate, why: string, citation: string): Draft {
  return { key: `${ctx.regime}/${suffix}`, regime: ctx.regime, audience, jurisdiction: ctx.code, recipient, dueOn, why, citation };
}

/** Fills in verify from the duty's own reasons and then the state's. */
export function finish(ctx: StateCtx, o: Draft, reasons: readonly Reason[], hold: boolean): Obligation {
  const text = reasonText(reasons, ctx.stateReasons);
  // `o` is the caller's fresh draft: completed in place rather than copied (a plan of every
  // jurisdiction makes a few hundred of these).
  const done = o as Obligation;
  done.verify = text !== undefined;
  if (text !== undefined) done.verifyReason = text;
  return hold && ctx.hold ? applyHold(done, ctx.hold) : done;
}

/** A note of a state's regime. It carries the state's own reasons too: a note that a notice is
 *  not owed rests on the same entry (a threshold, a definition) as a duty would. */
export function note(ctx: StateCtx, why: string, citation: string, reasons: readonly Reason[] = []): void {
  const text = reasonText(reasons, ctx.stateReasons);
  const n: PlanNote = { regime: ctx.regime, why, citation, verify: text !== undefined };
  if (text !== undefined) n.verifyReason = text;
  ctx.notes.push(n);
}

export function regulatorDuty(ctx: StateCtx, r: RegulatorRule): Obligation | null {
  if (!thresholdMet(r.threshold, ctx.residents)) {
    note(ctx, `${entryText(ctx, regulatorNotRequired, r)}${formatCount(ctx.residents)}${entryText(ctx, residentsHere, null)}`, r.citation);
    return null;
  }
  const clock = clockInForce(r.clock, ctx.clock.discoveryDate);
  if (!clock) {
    note(ctx, `${r.recipient}: this clock took effect on ${r.clock.effectiveFrom}, after this discovery; the earlier rule applies.`, r.citation, ['Check the rule in force on the discovery date.']);
    return null;
  }
  const run = runClock(ctx.clock, clock);
  if (!run) return null;
  const held = !!ctx.hold && clock.notExtendable === true && (clock.from === 'discovery' || clock.from === 'determination');
  const o = draft(ctx, `regulator/${r.id}`, 'regulator', r.recipient, run.dueOn,
    `${formatCount(ctx.residents)}${entryText(ctx, regulatorWhy, r)}${run.text}.`,
    r.citation);
  if (run.calendar) o.calendar = run.calendar;
  return finish(ctx, o, [r.verifyReason, run.verifyReasons, held ? `The statute allows no extension, so the law-enforcement hold is not applied to this notice; ask counsel whether the ${ctx.name} regulator may be told while the hold runs.` : undefined],
  !clock.notExtendable && (clock.from === 'discovery' || clock.from === 'determination'));
}

export function craDuty(ctx: StateCtx, r: CraRule): Obligation | null {
  if (!thresholdMet(r.threshold, ctx.residents)) {
    note(ctx, `${entryText(ctx, craNotRequired, r)}${formatCount(ctx.residents)}${entryText(ctx, residentsHere, null)}`, r.citation);
    return null;
  }
  const run = runClock(ctx.clock, r.clock);
  if (!run) return null;
  return finish(ctx, draft(ctx, 'consumer_reporting_agencies', 'consumer_reporting_agencies', 'The nationwide consumer reporting agencies (Equifax, Experian, TransUnion)', run.dueOn,
    `${formatCount(ctx.residents)}${entryText(ctx, craWhy, r)}${run.text}.`,
    r.citation), [r.verifyReason, run.verifyReasons], r.clock.from === 'discovery' || r.clock.from === 'determination');
}

/** The offer a statute requires in the letter (MA 18 months, CT 24, DE 12 when SSNs were involved). */
export function creditMonitoringDuty(ctx: StateCtx, individualDue: string, deemed: boolean): Obligation | null {
  const offer = ctx.rule.creditMonitoring;
  if (!offer) return null;
  const hit = ctx.elements === undefined ? [] : offer.when.filter((e) => ctx.elements?.includes(e));
  if (ctx.elements !== undefined && hit.length === 0) return null;
  const unknown = ctx.elements === undefined ? `Offered only when ${elementList(offer.when)} were involved; confirm which data was.` : undefined;
  const deemerReason = deemed ? `${ctx.name}'s HIPAA deemer may reach this offer too; offering it is the cautious reading.` : undefined;
  const o = draft(ctx, 'individuals/credit-monitoring', 'individuals', `Affected residents of ${ctx.name}${hit.length ? ` whose ${elementList(hit)} were involved` : ''}`, individualDue,
    `${ctx.rule.statute} requires the notice to ${ctx.name} residents to offer ${offer.what} for ${offer.months} months at no cost when ${elementList(offer.when)} were involved: the letter must carry the offer and each person's enrolment code.`,
    offer.citation);
  o.creditMonitoring = { months: offer.months, what: offer.what };
  return finish(ctx, o, [offer.verifyReason, unknown, deemerReason], false);
}

/** A health-specific law reaching a licensed facility (Cal. H&S 1280.15: CDPH and the patient). */
export function healthLawDuties(ctx: StateCtx, h: HealthLawRule, licensed: boolean | undefined): Obligation[] {
  if (licensed === false) return [];
  const hit = ctx.elements === undefined || h.elements.some((e) => ctx.elements?.includes(e));
  if (!hit) return [];
  if (licensed === undefined) {
    note(ctx, `${h.name} applies to a clinic, health facility, home health agency or hospice licensed by ${ctx.name}: if you are one, it adds notices (${h.notices.map((n) => n.recipient).join('; ')}). Say whether you are (entity.licensedHealthFacility).`, h.citation, ['Confirm whether the practice holds a state facility licence.']);
    return [];
  }
  const unknown = ctx.elements === undefined ? `Applies when ${elementList(h.elements)} were involved; confirm which data was.` : undefined;
  return h.notices.flatMap((n) => {
    const run = runClock(ctx.clock, n.clock);
    if (!run) return [];
    const o = draft(ctx, `health/${h.id}/${n.id}`, n.audience, n.recipient, run.dueOn,
      `A facility licensed by ${ctx.name} owes ${n.recipient} ${n.what} under ${h.name}, ${run.text}; HIPAA notice does not replace it.`,
      h.citation);
    if (run.calendar) o.calendar = run.calendar;
    return [finish(ctx, o, [h.verifyReason, unknown, run.verifyReasons], true)];
  });
}

export function vendorDuty(ctx: StateCtx): Obligation | null {
  const rule = ctx.rule.serviceProviderNotice;
  if (!rule) {
    note(ctx, entryText(ctx, noVendorClockNote, null), ctx.rule.statute, [entryText(ctx, noVendorClockReason, null)]);
    return null;
  }
  const clock = clockInForce(rule.clock, ctx.clock.discoveryDate);
  if (!clock) {
    note(ctx, `${ctx.rule.statute}: as a third-party agent you must tell the data owner "${rule.wording}"; HIPAA's 60 days (45 CFR 164.410) is the outer limit.`, rule.citation, [rule.verifyReason, ctx.stateReasons]);
    return null;
  }
  const run = runClock(ctx.clock, clock);
  if (!run) return null;
  return finish(ctx, draft(ctx, 'covered_entity', 'covered_entity', 'The covered entity whose data it is (your client)', run.dueOn,
    `${formatCount(ctx.residents)} residents of ${ctx.name} affected: as a third-party agent you must tell the data owner ${run.text} ("${rule.wording}"), sooner than HIPAA's 60 days.`,
    rule.citation), [rule.verifyReason, run.verifyReasons], true);
}
