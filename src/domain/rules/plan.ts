import { formatCount } from './format';
import { determine } from './determination';
import { IncidentFacts } from './facts';
import { applyHold, hipaaObligations } from './hipaa-obligations';
import { lawEnforcementHold } from './law-enforcement';
import { NotificationPlan } from './plan.types';
import { RulePack } from './rule-pack';
import { RecordedNotices, stateObligations } from './state-obligations';
import { effectiveDiscovery } from './discovery-date';
import { LocalDate } from './calendar';
import { discoveryAfter, validateFacts } from './validate-facts';
import { Validated } from '../validation';

/**
 * The notification plan (the notification-plan contract): which notices the law requires,
 * to whom, by when, and why. A pure function of validated facts and the rule pack: no clock, no
 * I/O. The same function decides what a stored incident tracks; for a stored incident, `recorded`
 * (the dates notices actually went out) moves the state clocks tied to them.
 */
export function planNotification(facts: IncidentFacts, pack: RulePack, recorded?: RecordedNotices): NotificationPlan {
  const discovery = effectiveDiscovery(facts);
  const discoveryDate = discovery.date;
  const discoveryDateReason = discovery.reason;
  const { determination, reason, notes } = determine(facts);
  const hold = determination === 'breach' ? lawEnforcementHold(facts.lawEnforcementDelay) : null;
  const hipaa = determination === 'breach' ? hipaaObligations(facts, discoveryDate).map((o) => applyHold(o, hold)) : [];
  const state = stateObligations({ facts, determination, discoveryDate, hipaa, hold, pack, recorded });

  const obligations = [...hipaa, ...state.obligations];
  const allNotes = [...notes, ...state.notes];
  const known = Object.values(facts.affected.byJurisdiction ?? {}).reduce((a, b) => a + (b ?? 0), 0);
  if (determination === 'breach' && known < facts.affected.total) {
    allNotes.push({
      regime: 'HIPAA',
      why: `The state of residence of ${formatCount(facts.affected.total - known)} of ${formatCount(facts.affected.total)} individuals is not known: media notice (more than 500 residents of a state) and state laws may add obligations once it is.`,
      citation: '45 CFR 164.406(a); 45 CFR 160.203',
      verify: false,
    });
  }
  if (discovery.verify) {
    allNotes.push({
      regime: 'HIPAA',
      why: `Every clock runs from the business associate's discovery (${discoveryDate}), not the covered entity's (${discovery.ownDate}), because it is not known whether the business associate is an agent.`,
      citation: '45 CFR 164.404(a)(2); federal common law of agency',
      verify: true,
      verifyReason: 'Agency depends on the covered entity\'s right to control the business associate\'s conduct: have counsel read the business associate agreement.',
    });
  }
  const verify = reason.verify || hold?.verify === true || obligations.some((o) => o.verify) || allNotes.some((n) => n.verify)
    // A state's "no notice" can rest on an uncertain entry with no note of its own to say so.
    || state.jurisdictions.some((j) => j.verify);
  return {
    notificationRequired: obligations.length > 0,
    determination,
    discoveryDate,
    obligations,
    rulePackVersion: pack.version,
    rulePackReviewedOn: pack.reviewedOn,
    jurisdictions: state.jurisdictions,
    determinationReason: reason,
    discoveryDateReason,
    lawEnforcementHold: hold,
    notes: allNotes,
    verify,
  };
}

/**
 * Validate untrusted input, then plan: the one entry point the CLI and the API share. With
 * `today` (the practice's local date, or `--as-of`), a discovery after it is refused.
 */
export function planFromInput(input: unknown, pack: RulePack, today?: LocalDate): Validated<NotificationPlan> {
  const facts = validateFacts(input);
  if (!facts.ok) return facts;
  const future = today ? discoveryAfter(facts.value, today) : [];
  if (future.length) return { ok: false, errors: future };
  return { ok: true, value: planNotification(facts.value, pack) };
}
