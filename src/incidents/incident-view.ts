import { acceptedEvents, IncidentSnapshot, isOpen, phaseOf, stepHelp } from '../domain/lifecycle/incident-snapshot';
import { IncidentEventType, RemovedObligation } from '../domain/lifecycle/incident.types';
import { TrackedObligation, trackedObligations } from '../domain/lifecycle/tracking';
import { NotificationPlan } from '../domain/rules/plan.types';

/** What the API shows of an incident: its state, what is due and why, and what it accepts next. */
export interface IncidentView {
  id: string;
  reference: string;
  summary: string;
  version: number;
  state: {
    phase: string;
    value: unknown;
    open: boolean;
    steps: { label: string; help: string }[];
  };
  acceptedEvents: IncidentEventType[];
  facts: unknown;
  plan: Omit<NotificationPlan, 'obligations'>;
  obligations: TrackedObligation[];
  /** What the latest change of facts took off the plan (a lower count, a new determination). */
  removedByLastChange: RemovedObligation[];
  containment: unknown;
  assessment: unknown;
  decision: unknown;
  insurance: unknown;
  closure: unknown;
  reopenings: number;
  createdAt: string;
  updatedAt: string;
}

export function incidentView(
  meta: { id: string; version: number; createdAt: string; updatedAt: string },
  snapshot: IncidentSnapshot,
): IncidentView {
  const ctx = snapshot.context;
  const { obligations: _planned, ...plan } = ctx.plan;
  return {
    id: meta.id,
    reference: ctx.reference,
    summary: ctx.summary,
    version: meta.version,
    state: { phase: phaseOf(snapshot), value: snapshot.value, open: isOpen(snapshot), steps: stepHelp(snapshot) },
    acceptedEvents: acceptedEvents(snapshot),
    facts: ctx.facts,
    plan,
    obligations: trackedObligations(ctx),
    removedByLastChange: ctx.removedByLastChange ?? [],
    containment: ctx.containment,
    assessment: ctx.assessment,
    decision: ctx.decision,
    insurance: ctx.insurance,
    closure: ctx.closure,
    reopenings: ctx.reopenings,
    createdAt: meta.createdAt,
    updatedAt: meta.updatedAt,
  };
}
