import { LocalDate } from '../rules/calendar';
import { NotificationPlan } from '../rules/plan.types';

/**
 * What re-planning an incident with another rule pack would change ("re-plan with pack
 * 2026.12.0"): obligations added, withdrawn (open ones only: work done stays done) and moved.
 * Pure: the caller applies it only when the privacy officer accepts.
 */

interface Tracked {
  key: string;
  regime: string;
  recipient: string;
  dueOn: LocalDate;
  status: string;
}

export interface PackChange {
  from: string;
  to: string;
  reviewedOn: LocalDate | null;
  added: { key: string; recipient: string; dueOn: LocalDate; why: string; citation: string; verify: boolean }[];
  withdrawn: { key: string; recipient: string; dueOn: LocalDate }[];
  moved: { key: string; recipient: string; from: LocalDate; to: LocalDate; why: string }[];
  /** Nothing would change but the version the incident names. */
  obligationsUnchanged: boolean;
}

export function packChange(current: { rulePackVersion: string }, tracked: readonly Tracked[], next: NotificationPlan): PackChange {
  const live = tracked.filter((o) => o.regime !== 'POLICY' && o.status !== 'withdrawn');
  const before = new Map(live.map((o) => [o.key, o]));
  const after = new Map(next.obligations.map((o) => [o.key, o]));
  const added = next.obligations.filter((o) => !before.has(o.key))
    .map((o) => ({ key: o.key, recipient: o.recipient, dueOn: o.dueOn, why: o.why, citation: o.citation, verify: o.verify }));
  const withdrawn = live.filter((o) => o.status === 'open' && !after.has(o.key)).map((o) => ({ key: o.key, recipient: o.recipient, dueOn: o.dueOn }));
  const moved = live.flatMap((o) => {
    const n = after.get(o.key);
    return n && o.status === 'open' && n.dueOn !== o.dueOn ? [{ key: o.key, recipient: o.recipient, from: o.dueOn, to: n.dueOn, why: n.why }] : [];
  });
  return {
    from: current.rulePackVersion,
    to: next.rulePackVersion,
    reviewedOn: next.rulePackReviewedOn ?? null,
    added, withdrawn, moved,
    obligationsUnchanged: !added.length && !withdrawn.length && !moved.length,
  };
}
