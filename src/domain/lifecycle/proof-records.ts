import { IncidentFacts, Jurisdiction } from '../rules/facts';
import { formatCount } from '../rules/format';
import { jurisdictionName } from '../rules/jurisdiction-names';
import { NotificationPlan } from '../rules/plan.types';
import { holdStart } from './incident-checks';
import { HoldConfirmation, IncidentContext, IncidentEvent, Proof, RemovedObligation } from './incident.types';

/** Proofs as the machine records and corrects them, and what a change of facts took off the plan. */

type NoticeSent = Extract<IncidentEvent, { type: 'notice.sent' }>;
type ProofCorrected = Extract<IncidentEvent, { type: 'proof.corrected' }>;
type FurtherMailed = Extract<IncidentEvent, { type: 'notice.furtherMailing' }>;

/** The confirmation of a notice sent while a hold was in force, kept on its proof. */
function holdNote(ctx: IncidentContext, e: HoldConfirmation): Pick<Proof, 'duringHold'> {
  const hold = ctx.plan.lawEnforcementHold;
  return e.holdConfirmed && hold ? { duringHold: { holdEndsOn: hold.endsOn, reason: e.holdReason ?? '' } } : {};
}

function inHold(ctx: IncidentContext, sentOn: string): boolean {
  const hold = ctx.plan.lawEnforcementHold;
  return !!hold && sentOn >= holdStart(ctx) && sentOn < hold.endsOn;
}

function details(e: { count?: number; reference?: string }): Partial<Proof> {
  return { ...(e.count !== undefined ? { count: e.count } : {}), ...(e.reference ? { reference: e.reference } : {}) };
}

export function proofOf(event: NoticeSent, ctx: IncidentContext): Proof {
  return { sentOn: event.sentOn, method: event.method, ...details(event), ...holdNote(ctx, event) };
}

/** A later mailing joins the obligation's further mailings; its first proof stays as it was. */
export function furtherMailed(ctx: IncidentContext, event: FurtherMailed): IncidentContext['tracking'] {
  const t = ctx.tracking[event.key];
  if (!t?.proof) return ctx.tracking;
  const mailing = { sentOn: event.sentOn, method: event.method, count: event.count, batchId: event.batchId, ...holdNote(ctx, event) };
  return { ...ctx.tracking, [event.key]: { ...t, furtherMailings: [...(t.furtherMailings ?? []), mailing] } };
}

/** A corrected proof supersedes the recorded one, which is kept with the reason. */
export function corrected(ctx: IncidentContext, event: ProofCorrected): IncidentContext['tracking'] {
  const t = ctx.tracking[event.key];
  if (!t?.proof) return ctx.tracking;
  const { duringHold, ...recorded } = t.proof;
  const sentOn = event.sentOn ?? recorded.sentOn;
  const proof: Proof = {
    ...recorded,
    ...(duringHold && inHold(ctx, sentOn) ? { duringHold } : {}),
    sentOn,
    ...(event.method ? { method: event.method } : {}),
    ...details(event),
    ...holdNote(ctx, event),
  };
  return { ...ctx.tracking, [event.key]: { ...t, proof, superseded: [...(t.superseded ?? []), { proof: t.proof, reason: event.reason }] } };
}

/** Why each withdrawn obligation went, in the plan's words where it has them. */
export function removedObligations(before: NotificationPlan, after: NotificationPlan, facts: IncidentFacts, withdrawn: string[]): RemovedObligation[] {
  return withdrawn.map((key) => {
    const old = before.obligations.find((o) => o.key === key);
    return { key, recipient: old?.recipient ?? key, reason: removalReason(before, after, facts, key, old?.recipient) };
  });
}

function removalReason(before: NotificationPlan, after: NotificationPlan, facts: IncidentFacts, key: string, recipient: string | undefined): string {
  if (after.determination !== before.determination) {
    return `the determination is now ${after.determination.replace('_', ' ')}: ${after.determinationReason.why} (${after.determinationReason.citation})`;
  }
  const media = /^HIPAA\/media\/([A-Z]{2})$/.exec(key);
  if (media) {
    const residents = facts.affected.byJurisdiction?.[media[1] as Jurisdiction] ?? 0;
    const who = residents === 1 ? 'resident of' : 'residents of';
    return `${formatCount(residents)} ${who} ${jurisdictionName(media[1] as Jurisdiction)} ${residents === 1 ? 'is' : 'are'} now affected, not more than 500: no media notice is required there (45 CFR 164.406(a))`;
  }
  if (key === 'HIPAA/substitute_notice') return 'no one affected now lacks usable contact information: no substitute notice is required (45 CFR 164.404(d)(2))';
  const note = recipient ? after.notes.find((n) => n.why.includes(recipient)) : undefined;
  return note ? `${note.why} (${note.citation})` : 'no longer required by the plan with the changed facts';
}
