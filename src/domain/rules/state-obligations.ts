import { formatCount } from './format';
import { LocalDate } from './calendar';
import { IncidentFacts, Jurisdiction } from './facts';
import { jurisdictionName, sortedJurisdictions } from './jurisdiction-names';
import { Determination, JurisdictionSummary, LawEnforcementHold, Obligation, PlanNote, Regime } from './plan.types';
import { clockInForce, runClock } from './state/clocks';
import { craDuty, creditMonitoringDuty, draft, entryText, finish, healthLawDuties, note, regulatorDuty, StateCtx, vendorDuty } from './state/duties';
import { hasStatute, RegulatorRule, RulePack, StateIndividualRule, StateRule } from './state/pack-types';
import { triggerOf } from './state/triggers';

/**
 * State breach statutes run beside HIPAA (45 CFR 160.203: HIPAA does not preempt a more
 * stringent state law). This applies the rule pack to each state whose residents were affected:
 * whether the data involved triggers its statute, then its notices to residents, regulators,
 * consumer reporting agencies and (for a business associate) the data owner.
 */

export interface StateOverlayInput {
  facts: IncidentFacts;
  determination: Determination;
  /** The effective discovery date (a business associate's, when it is the covered entity's agent). */
  discoveryDate: LocalDate;
  hipaa: Obligation[];
  hold: LawEnforcementHold | null;
  pack: RulePack;
  /** Actual dates of notices already sent, which clocks tied to them follow. */
  recorded?: RecordedNotices;
}

/** When the notices other clocks count from actually went out. */
export interface RecordedNotices {
  /** HIPAA's notice to individuals. */
  individuals?: LocalDate;
  /** HIPAA's report to HHS. */
  hhs?: LocalDate;
  /** A state's own notice to its residents, where it has one. */
  stateIndividuals?: Partial<Record<Jurisdiction, LocalDate>>;
}

function recordedFor(code: Jurisdiction, r: RecordedNotices | undefined): { individuals?: LocalDate; hhs?: LocalDate } | undefined {
  if (!r) return undefined;
  const individuals = r.stateIndividuals?.[code] ?? r.individuals;
  return { ...(individuals ? { individuals } : {}), ...(r.hhs ? { hhs: r.hhs } : {}) };
}

export interface StateOverlay {
  obligations: Obligation[];
  notes: PlanNote[];
  jurisdictions: JurisdictionSummary[];
}

function recalledText(rule: StateRule): string {
  return rule.recalled.length ? ` Recalled, not confirmed in a source: ${rule.recalled.join('; ')}.` : '';
}

/** Medium or low confidence: every duty of the state says verify, and what to confirm. */
function stateReasons(rule: StateRule): string[] {
  if (rule.confidence === 'high') return [];
  let text = confidenceTexts.get(rule);
  if (text === undefined) confidenceTexts.set(rule, (text = confidenceText(rule)));
  return [text];
}

/** Made once per pack entry. */
const confidenceTexts = new WeakMap<StateRule, string>();

function confidenceText(rule: StateRule): string {
  return `${rule.name}'s entry is of ${rule.confidence} confidence: ${rule.verifyReason ?? 'confirm it with counsel.'}${recalledText(rule)}`;
}

const deemedNote = (ctx: StateCtx, rule: StateIndividualRule) => `${ctx.name}: notice to its residents given under HIPAA satisfies ${ctx.rule.statute}. ${rule.hipaaDeemedWhy}`;
const noFixedClockNote = (ctx: StateCtx, rule: StateIndividualRule) => {
  const newer = rule.clock?.effectiveFrom ? ` (its ${rule.clock.days}-day clock took effect on ${rule.clock.effectiveFrom}, after this discovery)` : '';
  return `${ctx.name} requires notice to its residents "${rule.wording}"${newer}: HIPAA's 60-day limit is the outer bound, so the HIPAA notice meets it if it goes out without unreasonable delay.`;
};
const individualsWhy = (ctx: StateCtx) => ` residents of ${ctx.name} were affected: ${ctx.rule.statute} requires notice to them `;
const individualsRecipient = (ctx: StateCtx) => `Affected residents of ${ctx.name}`;
const droppedByDeemerNote = (ctx: StateCtx, r: RegulatorRule) => `${r.recipient}: not owed by a HIPAA entity, whose HIPAA notice ${ctx.rule.statute} deems compliance. ${ctx.rule.individualNotice?.hipaaDeemedWhy ?? ''}`.trim();
const recalledNote = (ctx: StateCtx) => `Part of ${ctx.rule.name}'s entry is recalled rather than confirmed in a source.${recalledText(ctx.rule)}`;

/** HIPAA notice satisfies the state's notice to residents (its deemer), so none is planned. */
function deemsIndividualNotice(rule: StateRule): boolean {
  const d = rule.individualNotice?.hipaaDeemedCompliance;
  return (d === 'yes' || d === 'partial') && rule.individualNotice?.deemerKeepsClock !== true;
}

function individualDuty(ctx: StateCtx, hipaaDue: LocalDate | undefined): Obligation | null {
  const rule = ctx.rule.individualNotice;
  if (!rule || !hipaaDue) return null;
  if (deemsIndividualNotice(ctx.rule)) {
    note(ctx, entryText(ctx, deemedNote, rule), rule.citation, [rule.verifyReason, ctx.stateReasons]);
    return null;
  }
  const clock = clockInForce(rule.clock, ctx.clock.discoveryDate);
  if (!clock) {
    const newer = !!rule.clock?.effectiveFrom;
    note(ctx, entryText(ctx, noFixedClockNote, rule), rule.citation, newer ? ['Check the rule in force on the discovery date.'] : []);
    return null;
  }
  // The residents' own clock cannot count from itself (coveredEntityDuties sets the tie after).
  ctx.clock.individualDue = undefined;
  const run = runClock(ctx.clock, clock);
  if (!run) return null;
  if (run.dueOn >= hipaaDue) {
    note(ctx, `${ctx.name} requires notice to its residents ${run.text}, which ends on ${run.dueOn}: not before HIPAA's deadline (${hipaaDue}), so the HIPAA notice meets it.`, rule.citation);
    return null;
  }
  const unclear = rule.hipaaDeemedCompliance === 'unclear' || rule.deemerKeepsClock ? rule.hipaaDeemedWhy : undefined;
  return finish(ctx, draft(ctx, 'individuals', 'individuals', entryText(ctx, individualsRecipient, null), run.dueOn,
    `${formatCount(ctx.residents)}${entryText(ctx, individualsWhy, null)}${run.text}, sooner than HIPAA's 60 days.`,
    rule.citation), [rule.verifyReason, unclear, run.verifyReasons], true);
}

/** The duties of a covered entity under one state's statute, once it is triggered. */
function coveredEntityDuties(ctx: StateCtx, facts: IncidentFacts, hipaa: Obligation | undefined): Obligation[] {
  const out: Obligation[] = [];
  const individual = individualDuty(ctx, hipaa?.dueBeforeHold ?? hipaa?.dueOn);
  if (individual) out.push(individual);
  // Clocks tied to the notice to residents count from its date after any hold.
  const individualDue = individual?.dueOn ?? hipaa?.dueOn;
  ctx.clock.individualDue = individualDue;
  const deemed = ctx.rule.individualNotice?.hipaaDeemedCompliance;
  for (const r of ctx.rule.regulators) {
    const dropped = deemed === 'yes' ? r.survivesHipaaDeemer !== true : deemed === 'partial' && r.survivesHipaaDeemer === false;
    if (dropped) {
      note(ctx, entryText(ctx, droppedByDeemerNote, r), r.citation, [ctx.rule.individualNotice?.verifyReason]);
      continue;
    }
    const o = regulatorDuty(ctx, r);
    if (o) out.push(o);
  }
  const cra = ctx.rule.consumerReportingAgencies;
  if (cra && deemed !== 'yes') {
    const o = craDuty(ctx, cra);
    if (o) out.push(o);
  }
  if (individualDue) {
    const offer = creditMonitoringDuty(ctx, individualDue, deemed === 'yes' || deemed === 'partial');
    if (offer) out.push(offer);
  }
  for (const h of ctx.rule.healthLaws) out.push(...healthLawDuties(ctx, h, facts.entity.licensedHealthFacility));
  return out;
}

function summary(code: Jurisdiction, name: string, residents: number, rule: StateRule | null, status: JurisdictionSummary['status'], keys: string[], why: string | null, verify: boolean): JurisdictionSummary {
  return {
    jurisdiction: code, name, residents,
    statute: rule?.statute ?? null, confidence: rule?.confidence ?? null,
    status, obligationKeys: keys, why, verify,
  };
}

/** The whys of the notes made since `from`, as one text (the fallback when there are none). */
function whySince(notes: readonly PlanNote[], from: number, fallback: string): string {
  if (notes.length === from) return fallback;
  // Joined with + rather than join(): the plan keeps the parts' text, no copy is made.
  let text = notes[from].why;
  for (let i = from + 1; i < notes.length; i++) text = `${text} ${notes[i].why}`;
  return text || fallback;
}

export function stateObligations(input: StateOverlayInput): StateOverlay {
  const { facts, pack } = input;
  const obligations: Obligation[] = [];
  const notes: PlanNote[] = [];
  const jurisdictions: JurisdictionSummary[] = [];
  const by = facts.affected.byJurisdiction ?? {};
  const hipaaIndividuals = input.hipaa.find((o) => o.key === 'HIPAA/individuals');
  const hhsDue = input.hipaa.find((o) => o.audience === 'hhs')?.dueOn;
  for (const code of sortedJurisdictions(by)) {
    const residents = by[code] ?? 0;
    if (residents === 0) continue;
    const regime = `US-${code}` as Regime;
    const name = jurisdictionName(code);
    const entry = pack.states[code];
    const noteCount = notes.length;
    if (!entry) {
      notes.push({ regime, why: `${formatCount(residents)} residents of ${name}: rule pack ${pack.version} has no entry for ${name}, so its breach statute is not planned here.`, citation: `${name} breach notification statute`, verify: true, verifyReason: `Check ${name}'s breach notification law with counsel.` });
      jurisdictions.push(summary(code, name, residents, null, 'not_in_pack', [], whySince(notes, noteCount, ''), true));
      continue;
    }
    if (!hasStatute(entry)) {
      notes.push({ regime, why: `${formatCount(residents)} residents of ${name}: ${entry.why}`, citation: `Rule pack ${pack.version}: no breach statute known for ${name}`, verify: true, verifyReason: `Confirm with counsel that ${name} has no breach notification law.` });
      jurisdictions.push(summary(code, name, residents, null, 'no_statute', [], entry.why, true));
      continue;
    }
    const rule = entry;
    const ctx: StateCtx = {
      code, regime, name, residents, rule, hold: input.hold, elements: undefined, stateReasons: stateReasons(rule), notes,
      clock: { stateName: name, discoveryDate: input.discoveryDate, determinedOn: facts.determinedOn, holidays: rule.holidays, individualDue: hipaaIndividuals?.dueOn, hhsDue, recorded: recordedFor(code, input.recorded) },
    };
    const start = obligations.length;
    if (facts.dataFormat === 'paper' && rule.coversPaper === false) {
      note(ctx, `${rule.statute} covers computerized data only: a paper-only breach triggers no ${name} notice. HIPAA applies in full.`, rule.statute);
    } else {
      if (facts.dataFormat === 'paper' && rule.coversPaper === null) {
        note(ctx, `Whether ${rule.statute} reaches paper records is not confirmed; planned as if it does.`, rule.statute, ['Confirm whether the statute covers paper records.']);
        ctx.stateReasons.push('Planned as if the statute reaches paper records; confirm it does.');
      }
      const trigger = triggerOf(rule.personalInformation, rule.statute, facts.dataElements);
      if (trigger.outcome === 'not_covered') {
        note(ctx, `${trigger.why} No ${name} notice is triggered; HIPAA applies in full.`, rule.personalInformation.citation, trigger.verify ? ['Confirm the "other" data is not personal information under the statute.'] : []);
      } else {
        if (trigger.outcome === 'unknown') ctx.stateReasons.push(trigger.why);
        else {
          ctx.elements = trigger.elements;
          if (trigger.verifyWhy) ctx.stateReasons.push(trigger.verifyWhy);
        }
        if (facts.entity.type === 'business_associate') {
          const o = vendorDuty(ctx);
          if (o) obligations.push(o);
        }
        else if (input.determination !== 'breach') {
          note(ctx, `HIPAA's determination (${input.determination.replace('_', ' ')}) does not decide ${name} law: ${rule.statute} has its own test for its ${formatCount(residents)} residents.`, rule.statute, [`Confirm with counsel that ${rule.statute} requires no notice.`]);
        } else {
          for (const o of coveredEntityDuties(ctx, facts, hipaaIndividuals)) obligations.push(o);
          if (rule.confidence === 'high' && rule.recalled.length) note(ctx, entryText(ctx, recalledNote, null), rule.statute, ['Confirm the recalled facts before relying on them.']);
          for (const text of rule.notes) note(ctx, text, rule.statute);
        }
      }
    }
    const keys: string[] = [];
    let verify = false;
    for (let i = start; i < obligations.length; i++) {
      keys.push(obligations[i].key);
      verify ||= obligations[i].verify;
    }
    if (keys.length === 0) for (let i = noteCount; i < notes.length; i++) verify ||= notes[i].verify;
    // "No notice is required" rests on the entry as much as a duty would.
    if (keys.length === 0 && notes.length === noteCount && ctx.stateReasons.length > 0) verify = true;
    jurisdictions.push(summary(code, name, residents, rule, keys.length ? 'obligations' : 'no_obligation', keys, keys.length ? null : whySince(notes, noteCount, 'No notice is required by this statute.'), verify));
  }
  return { obligations, notes, jurisdictions };
}
