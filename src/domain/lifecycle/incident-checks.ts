import { ledgerRefusal } from '../insurance/ledger-state';
import { IncidentFacts } from '../rules/facts';
import { validateFacts } from '../rules/validate-facts';
import { FieldError } from '../validation';
import { CONTAINMENT_ITEMS, CONTAINMENT_LABELS, IncidentContext, IncidentEvent, RISK_FACTORS } from './incident.types';
import { openLegalObligations } from './tracking';

/**
 * What an event would do to the facts, and why an event must be refused. The machine's guards and
 * the engine's error messages both come from here, so a refusal always says what to do.
 */

export type CheckResult = null | { kind: 'invalid'; errors: FieldError[] } | { kind: 'refused'; reason: string; path?: string };

/** The facts after the event, for the events that change them; the same facts otherwise. */
export function factsAfter(ctx: IncidentContext, event: IncidentEvent): IncidentFacts {
  const f = ctx.facts;
  switch (event.type) {
    case 'facts.updated':
    case 'incident.reopened':
      return event.changes ? { ...f, ...event.changes } : f;
    case 'safeHarbor.assessed': {
      const safeguards = {
        ...(event.encryption ? { encryption: event.encryption } : {}),
        ...(event.destruction ? { destruction: event.destruction } : {}),
      };
      return { ...f, safeguards };
    }
    case 'assessment.exceptionApplied':
      return { ...f, exception: event.exception };
    case 'assessment.completed':
      return { ...f, exception: null, riskAssessment: { lowProbabilityOfCompromise: event.lowProbability } };
    case 'assessment.skipped':
      return { ...f, exception: null, riskAssessment: null };
    case 'hold.placed': {
      const { statement, receivedOn, delayUntil, official } = event;
      return { ...f, lawEnforcementDelay: { statement, receivedOn, ...(delayUntil ? { delayUntil } : {}), ...(official ? { official } : {}) } };
    }
    case 'hold.followUp': {
      const { receivedOn, delayUntil, official } = event;
      const writtenFollowUp = { receivedOn, ...(delayUntil ? { delayUntil } : {}), ...(official ? { official } : {}) };
      return f.lawEnforcementDelay ? { ...f, lawEnforcementDelay: { ...f.lawEnforcementDelay, writtenFollowUp } } : f;
    }
    case 'hold.lifted':
      return f.lawEnforcementDelay ? { ...f, lawEnforcementDelay: { ...f.lawEnforcementDelay, liftedOn: event.liftedOn } } : f;
    default:
      return f;
  }
}

/** Facts paths back to the event's own field names. */
function eventPath(event: IncidentEvent, path: string): string {
  switch (event.type) {
    case 'facts.updated':
    case 'incident.reopened':
      return `changes.${path}`;
    case 'safeHarbor.assessed':
      return path.replace(/^safeguards\./, '');
    case 'hold.placed':
    case 'hold.followUp':
    case 'hold.lifted':
      return path.replace(/^lawEnforcementDelay\.(writtenFollowUp\.)?/, '');
    default:
      return path;
  }
}

function refuse(reason: string): CheckResult {
  return { kind: 'refused', reason };
}

function list(keys: string[]): string {
  return keys.length <= 4 ? keys.join(', ') : `${keys.slice(0, 4).join(', ')} and ${keys.length - 4} more`;
}

function closeCheck(ctx: IncidentContext): CheckResult {
  const open = openLegalObligations(ctx);
  if (open.length === 0) return null;
  return refuse(`${open.length} obligation${open.length === 1 ? ' is' : 's are'} still open (${list(open.map((o) => o.key))}): record each as sent, or waive it with a reason, before closing`);
}

/** When the hold began; plans stored before holds carried `startsOn` fall back to the facts. */
export function holdStart(ctx: IncidentContext): string {
  return ctx.plan.lawEnforcementHold?.startsOn ?? ctx.facts.lawEnforcementDelay?.receivedOn ?? '';
}

/**
 * A notice recorded as sent while a law-enforcement hold was in force (from the day the statement
 * came to the day the hold ends) needs the recorder's explicit confirmation and reason (164.412).
 */
function holdCheck(ctx: IncidentContext, sentOn: string, confirmed: boolean | undefined): CheckResult {
  const hold = ctx.plan.lawEnforcementHold;
  if (!hold || sentOn < holdStart(ctx) || sentOn >= hold.endsOn || confirmed === true) return null;
  return {
    kind: 'refused',
    path: 'holdConfirmed',
    reason: `a law-enforcement hold is in force until ${hold.endsOn} (45 CFR 164.412), and a notice sent on ${sentOn} falls within it. Wait until the hold ends, or confirm that the notice was sent during the hold and give the reason`,
  };
}

function correctionCheck(ctx: IncidentContext, event: Extract<IncidentEvent, { type: 'proof.corrected' }>): CheckResult {
  const proof = ctx.tracking[event.key]?.proof;
  if (!proof) {
    const recorded = Object.entries(ctx.tracking).filter(([, t]) => t.proof).map(([k]) => k);
    return refuse(`"${event.key}" has no recorded proof to correct; recorded: ${list(recorded) || 'none'}`);
  }
  if (event.sentOn === undefined || event.sentOn === proof.sentOn) return null;
  if (event.sentOn < ctx.plan.discoveryDate) {
    return { kind: 'invalid', errors: [{ path: 'sentOn', message: `must not be before discovery (${ctx.plan.discoveryDate})` }] };
  }
  return holdCheck(ctx, event.sentOn, event.holdConfirmed);
}

/**
 * A further mailing goes on an individuals' notice already proven (the first proof stays), once
 * per batch; an obligation still open takes notice.sent instead.
 */
function furtherMailingCheck(ctx: IncidentContext, event: Extract<IncidentEvent, { type: 'notice.furtherMailing' }>): CheckResult {
  const t = ctx.tracking[event.key];
  const individuals = ctx.plan.obligations.find((o) => o.key === event.key)?.audience === 'individuals';
  if (!individuals || t?.status !== 'done' || !t.proof) {
    const proven = ctx.plan.obligations.filter((o) => o.audience === 'individuals' && ctx.tracking[o.key]?.status === 'done' && ctx.tracking[o.key]?.proof).map((o) => o.key);
    return refuse(`"${event.key}" is not a notice to individuals already recorded as sent, so a mailing on it is not a further one (record it with notice.sent); recorded: ${list(proven) || 'none'}`);
  }
  if (t.furtherMailings?.some((f) => f.batchId === event.batchId)) return refuse(`the mailing of batch ${event.batchId} is already recorded on "${event.key}"`);
  if (event.sentOn < ctx.plan.discoveryDate) {
    return { kind: 'invalid', errors: [{ path: 'sentOn', message: `must not be before discovery (${ctx.plan.discoveryDate})` }] };
  }
  return holdCheck(ctx, event.sentOn, event.holdConfirmed);
}

/** The events that re-run the plan, and so would adopt whatever rule pack the server runs. */
export const REPLANNING_EVENTS: readonly IncidentEvent['type'][] = [
  'facts.updated', 'incident.reopened', 'safeHarbor.assessed', 'assessment.exceptionApplied', 'assessment.completed',
  'assessment.skipped', 'hold.placed', 'hold.followUp', 'hold.lifted',
];

/**
 * A plan made with another rule pack moves to the loaded one only when the privacy officer accepts
 * it (plan.packAccepted): until then, the events that would re-plan it are refused. Recording
 * notices stays open (it keeps the incident's pack: see followRecorded).
 */
function packCheck(ctx: IncidentContext, event: IncidentEvent, packVersion: string): CheckResult {
  if (event.type === 'plan.packAccepted') {
    return event.rulePackVersion === packVersion
      ? null
      : { kind: 'invalid', errors: [{ path: 'rulePackVersion', message: `must name the pack this server runs (${packVersion}) to accept it` }] };
  }
  if (ctx.plan.rulePackVersion === packVersion || !REPLANNING_EVENTS.includes(event.type)) return null;
  return {
    kind: 'refused',
    path: 'rulePackVersion',
    reason: `This incident was planned with rule pack ${ctx.plan.rulePackVersion}; the server now runs ${packVersion}. Review what changes and accept it first: GET/POST /api/incidents/${ctx.reference}/pack-change`,
  };
}

/**
 * Why this event cannot apply to this incident now, or null when it can. `packVersion` is the
 * rule pack the server runs (the machine's).
 */
export function checkEvent(ctx: IncidentContext, event: IncidentEvent, packVersion: string): CheckResult {
  const stale = packCheck(ctx, event, packVersion);
  if (stale) return stale;
  if (event.type === 'hold.followUp' && ctx.facts.lawEnforcementDelay?.statement !== 'oral') {
    return refuse('a written follow-up only follows an oral statement (45 CFR 164.412(b)); place a new hold instead');
  }
  const facts = factsAfter(ctx, event);
  if (facts !== ctx.facts) {
    const valid = validateFacts(facts);
    if (!valid.ok) return { kind: 'invalid', errors: valid.errors.map((e) => ({ path: eventPath(event, e.path), message: e.message })) };
  }
  switch (event.type) {
    case 'containment.completed': {
      const open = CONTAINMENT_ITEMS.filter((i) => ctx.containment[i].status === 'open');
      return open.length === 0 ? null : refuse(`${open.length} containment item${open.length === 1 ? ' is' : 's are'} still open (${open.map((i) => CONTAINMENT_LABELS[i]).join(', ')}): mark each done, or not applicable with a reason`);
    }
    case 'assessment.completed': {
      if (!event.lowProbability) return null;
      const missing = RISK_FACTORS.filter((f) => !event.factors[f].evidence.trim());
      return missing.length === 0 ? null : refuse(`all four factors need evidence before a low-probability conclusion (45 CFR 164.402(2)); missing: ${missing.join(', ')}`);
    }
    case 'notice.sent':
    case 'obligation.waived': {
      const open = openLegalObligations(ctx);
      if (!open.some((o) => o.key === event.key)) {
        return refuse(`"${event.key}" is not an open obligation of this incident; open: ${list(open.map((o) => o.key)) || 'none'}`);
      }
      if (event.type === 'notice.sent' && event.sentOn < ctx.plan.discoveryDate) {
        return { kind: 'invalid', errors: [{ path: 'sentOn', message: `must not be before discovery (${ctx.plan.discoveryDate})` }] };
      }
      return event.type === 'notice.sent' ? holdCheck(ctx, event.sentOn, event.holdConfirmed) : null;
    }
    case 'proof.corrected':
      return correctionCheck(ctx, event);
    case 'notice.furtherMailing':
      return furtherMailingCheck(ctx, event);
    case 'insurance.noticeGiven':
    case 'insurance.claimFiled':
      return event.on < ctx.plan.discoveryDate
        ? { kind: 'invalid', errors: [{ path: 'on', message: `must not be before discovery (${ctx.plan.discoveryDate})` }] }
        : null;
    case 'insurance.costRecorded':
    case 'insurance.costConsented':
    case 'insurance.costWithdrawn':
    case 'insurance.proofOfLossFiled': {
      const why = ledgerRefusal(ctx.insurance, event);
      return why ? refuse(why) : null;
    }
    case 'incident.closed':
      return closeCheck(ctx);
    default:
      return null;
  }
}
