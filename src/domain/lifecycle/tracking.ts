import { proofOfLossDue } from '../insurance/claim-ledger';
import { addDays, LocalDate } from '../rules/calendar';
import { Audience, NotificationPlan, Obligation, Regime } from '../rules/plan.types';
import { IncidentContext, InsurancePolicy, ObligationTracking, Proof } from './incident.types';

/** What a re-plan changed, recorded in the audit trail with the event that caused it. */
export interface PlanChange {
  added: string[];
  withdrawn: string[];
  moved: { key: string; from: LocalDate; to: LocalDate }[];
  determination?: { from: string; to: string };
  rulePackVersion?: { from: string; to: string };
}

export function isEmptyChange(c: PlanChange): boolean {
  return !c.added.length && !c.withdrawn.length && !c.moved.length && !c.determination && !c.rulePackVersion;
}

/**
 * Carries the work done on each obligation over to a new plan: done and waived stay as they were,
 * new obligations open, and open ones the plan no longer has are withdrawn (never deleted).
 */
export function retrack(
  previous: NotificationPlan | null,
  tracking: Record<string, ObligationTracking>,
  next: NotificationPlan,
): { tracking: Record<string, ObligationTracking>; change: PlanChange } {
  const result: Record<string, ObligationTracking> = {};
  const change: PlanChange = { added: [], withdrawn: [], moved: [] };
  const before = new Map((previous?.obligations ?? []).map((o) => [o.key, o]));
  for (const o of next.obligations) {
    const t = tracking[o.key];
    result[o.key] = t && t.status !== 'withdrawn' ? t : { status: 'open' };
    const old = before.get(o.key);
    if (!old || t?.status === 'withdrawn') change.added.push(o.key);
    else if (old.dueOn !== o.dueOn) change.moved.push({ key: o.key, from: old.dueOn, to: o.dueOn });
  }
  for (const [key, t] of Object.entries(tracking)) {
    if (result[key]) continue;
    if (t.status === 'open') {
      result[key] = { status: 'withdrawn', reason: 'no longer required by the plan' };
      change.withdrawn.push(key);
    } else {
      result[key] = t;
    }
  }
  if (previous && previous.determination !== next.determination) {
    change.determination = { from: previous.determination, to: next.determination };
  }
  if (previous && previous.rulePackVersion !== next.rulePackVersion) {
    change.rulePackVersion = { from: previous.rulePackVersion, to: next.rulePackVersion };
  }
  return { tracking: result, change };
}

/**
 * More individuals after a notice went out: the individuals' notice opens again for a further
 * mailing (164.404(d)(1)(i) allows notice "in one or more mailings"), and a filed HHS report needs
 * an addendum with the corrected number. The earlier proof is kept.
 */
export function reopenForMore(
  tracking: Record<string, ObligationTracking>,
  plan: NotificationPlan,
  before: number,
  after: number,
): Record<string, ObligationTracking> {
  if (after <= before) return tracking;
  const result = { ...tracking };
  for (const o of plan.obligations) {
    const t = tracking[o.key];
    if (t?.status !== 'done' || !t.proof || (o.audience !== 'individuals' && o.audience !== 'hhs')) continue;
    const what = o.audience === 'hhs'
      ? 'file an addendum to the HHS report with the corrected number'
      : 'send a further mailing to those not yet notified (45 CFR 164.404(d)(1)(i))';
    result[o.key] = {
      status: 'open',
      reason: `${after - before} more individuals were identified after the notice of ${t.proof.sentOn} (${before} then, ${after} now): ${what}`,
      earlier: [...(t.earlier ?? []), t.proof],
      ...(t.furtherMailings ? { furtherMailings: t.furtherMailings } : {}),
    };
  }
  return result;
}

/** An obligation as the engine tracks it: the plan's item (or the insurer's notice) with its status. */
export interface TrackedObligation extends Omit<Obligation, 'regime' | 'audience'> {
  regime: Regime | 'POLICY';
  audience: Audience | 'insurer' | 'proof_of_loss';
  status: ObligationTracking['status'];
  proof?: ObligationTracking['proof'];
  reason?: string;
  superseded?: ObligationTracking['superseded'];
  earlier?: ObligationTracking['earlier'];
  furtherMailings?: ObligationTracking['furtherMailings'];
}

export const INSURER_KEY = 'POLICY/insurer';

/** A condition of the cyber policy, tracked and reminded like a legal deadline (not a HIPAA rule). */
function policyCondition(
  policy: InsurancePolicy,
  o: { key: string; audience: 'insurer' | 'proof_of_loss'; recipient: string; dueOn: LocalDate; why: string; condition: string },
  done: Proof | null,
): TrackedObligation {
  const number = policy.policyNumber ? ` ${policy.policyNumber}` : '';
  return {
    key: o.key,
    regime: 'POLICY',
    audience: o.audience,
    recipient: o.recipient,
    dueOn: o.dueOn,
    why: `The policy${number} with ${policy.carrier} ${o.why}`,
    citation: `Insurance policy ${o.condition}${policy.policyNumber ? ` (${policy.policyNumber})` : ''}; not a HIPAA rule`,
    verify: false,
    status: done ? 'done' : 'open',
    ...(done ? { proof: done } : {}),
  };
}

/** The policy's notice window, tracked like a legal deadline once a policy is recorded. */
export function insurerObligation(ctx: IncidentContext): TrackedObligation | null {
  const policy = ctx.insurance.policy;
  if (!policy) return null;
  const given = ctx.insurance.noticeGivenOn;
  return policyCondition(policy, {
    key: INSURER_KEY,
    audience: 'insurer',
    recipient: `${policy.carrier} (cyber insurance carrier)`,
    dueOn: addDays(ctx.plan.discoveryDate, policy.noticeWindowDays),
    why: `requires written notice of a breach within ${policy.noticeWindowDays} days of discovery; a hotline call may not count as notice. Late notice can void cover.`,
    condition: 'notice conditions',
  }, given ? { sentOn: given, method: ctx.insurance.noticeMethod ?? 'unrecorded' } : null);
}

export const PROOF_OF_LOSS_KEY = 'POLICY/proof-of-loss';

/** The policy's proof-of-loss deadline, tracked and reminded once the policy states one. */
export function proofOfLossObligation(ctx: IncidentContext): TrackedObligation | null {
  const policy = ctx.insurance.policy;
  if (!policy?.periodEnd || policy.proofOfLossMonthsAfterPeriod === undefined) return null;
  const dueOn = proofOfLossDue({ periodEnd: policy.periodEnd, proofOfLossMonthsAfterPeriod: policy.proofOfLossMonthsAfterPeriod });
  if (!dueOn) return null;
  const filed = ctx.insurance.proofOfLossFiledOn;
  return policyCondition(policy, {
    key: PROOF_OF_LOSS_KEY,
    audience: 'proof_of_loss',
    recipient: `${policy.carrier} (proof of loss)`,
    dueOn,
    why: `requires the proof of first-party loss within ${policy.proofOfLossMonthsAfterPeriod} months after the policy period ends (${policy.periodEnd}); costs not proven by then may not be paid.`,
    condition: 'proof-of-loss condition',
  }, filed ? { sentOn: filed, method: 'proof of loss filed' } : null);
}

/** Every obligation the incident tracks now: the plan's and the insurer's, with their status. */
export function trackedObligations(ctx: IncidentContext): TrackedObligation[] {
  const planned = ctx.plan.obligations.map((o): TrackedObligation => ({ ...o, ...(ctx.tracking[o.key] ?? { status: 'open' }) }));
  const policy = [insurerObligation(ctx), proofOfLossObligation(ctx)].filter((o): o is TrackedObligation => o !== null);
  return [...planned, ...policy];
}

export function openObligations(ctx: IncidentContext): TrackedObligation[] {
  return trackedObligations(ctx).filter((o) => o.status === 'open');
}

/** The legal obligations still open; the insurer's notice is tracked and reminded, but it is the
 *  policy's condition, not the law's, so it does not hold the incident open. */
export function openLegalObligations(ctx: IncidentContext): TrackedObligation[] {
  return openObligations(ctx).filter((o) => o.regime !== 'POLICY');
}
