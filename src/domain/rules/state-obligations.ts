import { formatCount } from './format';
import { addBusinessDays } from './business-days';
import { addDays, LocalDate } from './calendar';
import { IncidentFacts, Jurisdiction } from './facts';
import { applyHold } from './hipaa-obligations';
import { jurisdictionName } from './jurisdiction-names';
import { Determination, LawEnforcementHold, Obligation, PlanNote, Regime } from './plan.types';
import { Clock, RegulatorRule, RulePack, StateRule } from './rule-pack';

/**
 * State breach statutes run beside HIPAA (45 CFR 160.203: HIPAA does not preempt a more
 * stringent state law). This applies the rule pack to each state whose residents were affected.
 */

const BUSINESS_DAYS_CAVEAT =
  'Business days are counted without weekends and US federal holidays; the state\'s own holidays may differ.';

interface StateContext {
  code: Jurisdiction;
  regime: Regime;
  name: string;
  residents: number;
  rule: StateRule;
  discoveryDate: LocalDate;
  determinedOn: LocalDate | undefined;
  hold: LawEnforcementHold | null;
  hipaa: Obligation[];
  /** HIPAA's notice to individuals, which some state clocks count from or are compared with. */
  hipaaIndividuals: Obligation | undefined;
}

interface ClockResult {
  dueOn: LocalDate;
  text: string;
  verifyReasons: string[];
}

function anchorOf(ctx: StateContext, clock: Clock, individualDue: LocalDate | undefined): { date: LocalDate; text: string; reason?: string } | null {
  switch (clock.from) {
    case 'discovery':
      return { date: ctx.discoveryDate, text: `discovery (${ctx.discoveryDate})` };
    case 'determination':
      return ctx.determinedOn
        ? { date: ctx.determinedOn, text: `the determination that a breach occurred (${ctx.determinedOn})` }
        : {
          date: ctx.discoveryDate,
          text: `the determination that a breach occurred (no date given, so counted from discovery, ${ctx.discoveryDate})`,
          reason: 'The statute counts from the determination that a breach occurred; record that date (determinedOn) if it came after discovery.',
        };
    case 'individual_notice':
      return individualDue ? { date: individualDue, text: `the notice to ${ctx.name} residents (due ${individualDue})` } : null;
    case 'hhs_notice': {
      const hhs = ctx.hipaa.find((o) => o.audience === 'hhs');
      return hhs
        ? { date: hhs.dueOn, text: `the report to HHS (due ${hhs.dueOn}; if you file earlier, this comes earlier)` }
        : null;
    }
  }
}

function runClock(ctx: StateContext, clock: Clock, individualDue: LocalDate | undefined): ClockResult | null {
  const anchor = anchorOf(ctx, clock, individualDue);
  if (!anchor) return null;
  const business = clock.unit === 'business';
  let dueOn = business ? addBusinessDays(anchor.date, clock.days) : addDays(anchor.date, clock.days);
  const verifyReasons = [anchor.reason, business ? BUSINESS_DAYS_CAVEAT : undefined].filter((r): r is string => !!r);
  let text = clock.days === 0
    ? `no later than ${anchor.text}`
    : `within ${clock.days} ${business ? 'business' : 'calendar'} days of ${anchor.text}`;
  if (clock.notLaterThanIndividualNotice && individualDue && individualDue < dueOn) {
    dueOn = individualDue;
    text += `, or by the notice to residents if that is sooner (${individualDue})`;
  }
  return { dueOn, text, verifyReasons };
}

function thresholdMet(r: RegulatorRule, residents: number): boolean {
  if (!r.threshold) return residents > 0;
  return r.threshold.comparison === '>' ? residents > r.threshold.residents : residents >= r.threshold.residents;
}

function thresholdText(r: RegulatorRule): string {
  if (!r.threshold) return 'any resident is affected';
  return `${r.threshold.comparison === '>' ? 'more than' : 'at least'} ${formatCount(r.threshold.residents)} residents are affected`;
}

function notInForce(clock: Clock, ctx: StateContext): boolean {
  return !!clock.effectiveFrom && ctx.discoveryDate < clock.effectiveFrom;
}

function individualObligation(ctx: StateContext, notes: PlanNote[]): Obligation | null {
  const rule = ctx.rule.individualNotice;
  if (!rule) return null;
  const note = (why: string, verify = rule.verify) =>
    notes.push({ regime: ctx.regime, why, citation: rule.citation, verify, ...(verify ? { verifyReason: rule.verifyReason ?? why } : {}) });
  if (rule.hipaaDeemedCompliance === 'yes') {
    note(`${ctx.name}: notice to its residents given under HIPAA satisfies ${ctx.rule.statute}. ${rule.hipaaDeemedWhy}`);
    return null;
  }
  if (notInForce(rule.clock, ctx)) {
    note(`${ctx.name}'s ${rule.clock.days}-day individual notice clock took effect on ${rule.clock.effectiveFrom}, after this discovery; the earlier rule applies.`, true);
    return null;
  }
  const clock = runClock(ctx, rule.clock, undefined);
  const hipaaDue = ctx.hipaaIndividuals?.dueBeforeHold ?? ctx.hipaaIndividuals?.dueOn;
  if (!clock || !hipaaDue) return null;
  if (clock.dueOn >= hipaaDue) {
    note(`${ctx.name} requires notice to its residents ${clock.text}, which ends on ${clock.dueOn}: not before HIPAA's deadline (${hipaaDue}), so the HIPAA notice meets it.`, false);
    return null;
  }
  const reasons = [rule.verifyReason, rule.hipaaDeemedCompliance === 'unclear' ? rule.hipaaDeemedWhy : undefined, ...clock.verifyReasons];
  const verify = rule.verify || rule.hipaaDeemedCompliance === 'unclear' || clock.verifyReasons.length > 0;
  return applyHold({
    key: `${ctx.regime}/individuals`,
    regime: ctx.regime,
    audience: 'individuals',
    jurisdiction: ctx.code,
    recipient: `Affected residents of ${ctx.name}`,
    dueOn: clock.dueOn,
    why: `${formatCount(ctx.residents)} residents of ${ctx.name} were affected: ${ctx.rule.statute} requires notice to them ${clock.text}, sooner than HIPAA's 60 days.`,
    citation: rule.citation,
    verify,
    ...(verify ? { verifyReason: reasons.filter(Boolean).join(' ') } : {}),
  }, ctx.hold);
}

function regulatorObligation(ctx: StateContext, r: RegulatorRule, individualDue: LocalDate, notes: PlanNote[]): Obligation | null {
  if (!thresholdMet(r, ctx.residents)) {
    notes.push({
      regime: ctx.regime,
      why: `Notice to ${r.recipient} is required only when ${thresholdText(r)}; ${formatCount(ctx.residents)} residents of ${ctx.name} here, so not required.`,
      citation: r.citation,
      verify: false,
    });
    return null;
  }
  if (notInForce(r.clock, ctx)) {
    notes.push({ regime: ctx.regime, why: `${r.recipient}: this clock took effect on ${r.clock.effectiveFrom}, after this discovery; the earlier rule applies.`, citation: r.citation, verify: true, verifyReason: 'Check the rule in force on the discovery date.' });
    return null;
  }
  const clock = runClock(ctx, r.clock, individualDue);
  if (!clock) return null;
  const reasons = [r.verifyReason, ...clock.verifyReasons].filter(Boolean);
  const o: Obligation = {
    key: `${ctx.regime}/regulator/${r.id}`,
    regime: ctx.regime,
    audience: 'regulator',
    jurisdiction: ctx.code,
    recipient: r.recipient,
    dueOn: clock.dueOn,
    why: `${formatCount(ctx.residents)} residents of ${ctx.name} affected, and ${ctx.rule.statute} requires notice to ${r.recipient} when ${thresholdText(r)}: send ${r.what}, ${clock.text}.`,
    citation: r.citation,
    verify: reasons.length > 0,
    ...(reasons.length > 0 ? { verifyReason: reasons.join(' ') } : {}),
  };
  // Clocks that count from a notice already moved by the hold need no second move.
  return r.clock.from === 'discovery' || r.clock.from === 'determination' ? applyHold(o, ctx.hold) : o;
}

function serviceProviderObligation(ctx: StateContext): Obligation | null {
  const rule = ctx.rule.serviceProviderNotice;
  if (!rule || notInForce(rule.clock, ctx)) return null;
  const clock = runClock(ctx, rule.clock, undefined);
  if (!clock) return null;
  return applyHold({
    key: `${ctx.regime}/covered_entity`,
    regime: ctx.regime,
    audience: 'covered_entity',
    jurisdiction: ctx.code,
    recipient: 'The covered entity whose data it is (your client)',
    dueOn: clock.dueOn,
    why: `${formatCount(ctx.residents)} residents of ${ctx.name} affected: as a third-party agent you must tell the data owner ${clock.text}, sooner than HIPAA's 60 days.`,
    citation: rule.citation,
    verify: rule.verify,
    ...(rule.verifyReason ? { verifyReason: rule.verifyReason } : {}),
  }, ctx.hold);
}

export interface StateOverlayInput {
  facts: IncidentFacts;
  determination: Determination;
  discoveryDate: LocalDate;
  hipaa: Obligation[];
  hold: LawEnforcementHold | null;
  pack: RulePack;
}

export function stateObligations(input: StateOverlayInput): { obligations: Obligation[]; notes: PlanNote[] } {
  const { facts, pack } = input;
  const obligations: Obligation[] = [];
  const notes: PlanNote[] = [];
  const by = facts.affected.byJurisdiction ?? {};
  const hipaaIndividuals = input.hipaa.find((o) => o.key === 'HIPAA/individuals');
  for (const code of (Object.keys(by) as Jurisdiction[]).sort()) {
    const residents = by[code] ?? 0;
    if (residents === 0) continue;
    const regime = `US-${code}` as Regime;
    const name = jurisdictionName(code);
    const rule = pack.states[code];
    if (!rule) {
      notes.push({ regime, why: `${formatCount(residents)} residents of ${name}: rule pack ${pack.version} has no entry for ${name}, so its breach statute is not planned here.`, citation: `${name} breach notification statute`, verify: true, verifyReason: `Check ${name}'s breach notification law with counsel.` });
      continue;
    }
    if (facts.dataFormat === 'paper' && rule.coversPaper === false) {
      notes.push({ regime, why: `${rule.statute} covers computerized data only: a paper-only breach triggers no ${name} notice. HIPAA applies in full.`, citation: rule.statute, verify: false });
      continue;
    }
    if (facts.dataFormat === 'paper' && rule.coversPaper === null) {
      notes.push({ regime, why: `Whether ${rule.statute} reaches paper records is not confirmed; planned as if it does.`, citation: rule.statute, verify: true, verifyReason: 'Confirm whether the statute covers paper records.' });
    }
    const ctx: StateContext = { code, regime, name, residents, rule, discoveryDate: input.discoveryDate, determinedOn: facts.determinedOn, hold: input.hold, hipaa: input.hipaa, hipaaIndividuals };
    if (facts.entity.type === 'business_associate') {
      const o = serviceProviderObligation(ctx);
      if (o) obligations.push(o);
      continue;
    }
    if (input.determination !== 'breach') {
      notes.push({ regime, why: `HIPAA's determination (${input.determination.replace('_', ' ')}) does not decide ${name} law: ${rule.statute} has its own test for its ${formatCount(residents)} residents.`, citation: rule.statute, verify: true, verifyReason: `Confirm with counsel that ${rule.statute} requires no notice.` });
      continue;
    }
    const individual = individualObligation(ctx, notes);
    if (individual) obligations.push(individual);
    const individualDue = individual?.dueOn ?? hipaaIndividuals?.dueOn;
    for (const r of rule.regulators) {
      const o = individualDue ? regulatorObligation(ctx, r, individualDue, notes) : null;
      if (o) obligations.push(o);
    }
    for (const text of rule.notes) notes.push({ regime, why: text, citation: rule.statute, verify: false });
  }
  return { obligations, notes };
}
