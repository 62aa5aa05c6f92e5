import { LocalDate } from './calendar';
import { IncidentFacts } from './facts';
import { discoveryDateOf } from './validate-facts';

/** The date every clock counts from, why, and whether counsel must confirm it. */
export interface EffectiveDiscovery {
  date: LocalDate;
  /** The covered entity's own discovery date, as the facts give it. */
  ownDate: LocalDate;
  reason: string;
  verify: boolean;
}

const AGENCY =
  '45 CFR 164.404(a)(2): a breach is treated as discovered by the covered entity on the first day it is known to any workforce member or agent of the covered entity, an agent being determined by the federal common law of agency';

function ownReason(facts: IncidentFacts, date: LocalDate): string {
  return 'date' in facts.discovery
    ? `The discovery date as given (${date}), the first day the breach was known (45 CFR 164.404(a)(2)); every clock counts calendar days from it (45 CFR 164.404(b), 164.406(b), 164.408(b), 164.410(b)).`
    : `Discovered at ${facts.discovery.at}, which is ${date} in ${facts.discovery.timezone}, the practice's local date, the first day the breach was known (45 CFR 164.404(a)(2)); every clock counts calendar days from it (45 CFR 164.404(b), 164.406(b), 164.408(b), 164.410(b)).`;
}

/**
 * A covered entity told late by its business associate: when the associate is its agent, the
 * associate's knowledge is the covered entity's, so the clocks run from the associate's discovery;
 * when that is unknown, the cautious reading is the same, flagged for counsel; an independent
 * contractor's discovery does not count, so the covered entity's own date stands.
 */
export function effectiveDiscovery(facts: IncidentFacts): EffectiveDiscovery {
  const own = discoveryDateOf(facts.discovery);
  const ba = facts.entity.type === 'covered_entity' ? facts.businessAssociate : undefined;
  if (!ba) return { date: own, ownDate: own, reason: ownReason(facts, own), verify: false };
  if (ba.agent === false) {
    return {
      date: own,
      ownDate: own,
      reason: `${ownReason(facts, own)} The business associate discovered the breach on ${ba.discoveredOn}, but it is recorded as an independent contractor, not an agent, so its knowledge is not the covered entity's and the covered entity's own discovery date stands (${AGENCY}). Keep the business associate agreement showing it.`,
      verify: false,
    };
  }
  const unknown = ba.agent === 'unknown';
  return {
    date: ba.discoveredOn,
    ownDate: own,
    reason: unknown
      ? `The business associate discovered the breach on ${ba.discoveredOn}; the covered entity learned of it on ${own}. Whether the business associate is the covered entity's agent is not known, so the cautious reading is applied: every clock runs from ${ba.discoveredOn} (${AGENCY}). Have counsel decide agency from the business associate agreement (the covered entity's right to control how the service is done); if it is an independent contractor, the clocks run from ${own}.`
      : `The business associate, the covered entity's agent, discovered the breach on ${ba.discoveredOn}; the covered entity learned of it on ${own}. An agent's knowledge is the covered entity's, so every clock runs from ${ba.discoveredOn} (${AGENCY}).`,
    verify: unknown,
  };
}
