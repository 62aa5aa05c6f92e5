import { addBusinessDays } from '../rules/business-days';
import { addDays, earlierOf, LocalDate } from '../rules/calendar';
import { Jurisdiction } from '../rules/facts';
import { NotificationPlan, Obligation } from '../rules/plan.types';
import { Clock, RulePack } from '../rules/rule-pack';
import { ObligationTracking } from './incident.types';

/**
 * Obligations whose due date is tied to another notice ("no later than the notice to residents",
 * "within 5 business days after notifying HHS") are planned from that notice's due date; once the
 * notice is recorded as sent, they follow its actual date. Pure: the plan, the proofs, the pack.
 */

const REGULATOR_KEY = /^US-([A-Z]{2})\/regulator\/(.+)$/;

/** The first day a notice went out: the earliest of its proofs (a further mailing keeps the first). */
function firstSent(t: ObligationTracking | undefined): LocalDate | null {
  const dates = [...(t?.earlier ?? []), ...(t?.proof ? [t.proof] : [])].map((p) => p.sentOn).sort();
  return dates[0] ?? null;
}

function residentsNotified(plan: NotificationPlan, tracking: Record<string, ObligationTracking>, code: Jurisdiction): { on: LocalDate; key: string } | null {
  const stateKey = `US-${code}/individuals`;
  const key = plan.obligations.some((o) => o.key === stateKey) ? stateKey : 'HIPAA/individuals';
  const on = firstSent(tracking[key]);
  return on ? { on, key } : null;
}

function count(clock: Clock, from: LocalDate): LocalDate {
  return clock.unit === 'business' ? addBusinessDays(from, clock.days) : addDays(from, clock.days);
}

function follow(o: Obligation, plan: NotificationPlan, tracking: Record<string, ObligationTracking>, pack: RulePack): Obligation {
  const m = REGULATOR_KEY.exec(o.key);
  if (!m) return o;
  const code = m[1] as Jurisdiction;
  const clock = pack.states[code]?.regulators.find((r) => r.id === m[2])?.clock;
  if (!clock) return o;
  const residents = residentsNotified(plan, tracking, code);
  let dueOn = o.dueOn;
  const because: string[] = [];
  if (clock.from === 'individual_notice' && residents) {
    dueOn = count(clock, residents.on);
    because.push(`the notice to residents was sent on ${residents.on}`);
  } else if (clock.from === 'hhs_notice') {
    const hhs = firstSent(tracking['HIPAA/hhs']);
    if (hhs) {
      dueOn = count(clock, hhs);
      because.push(`the report to HHS was filed on ${hhs}`);
    }
  }
  if (clock.notLaterThanIndividualNotice && residents && residents.on < dueOn) {
    dueOn = earlierOf(dueOn, residents.on);
    because.push(`it is due no later than the notice to residents, sent on ${residents.on}`);
  }
  if (!because.length || dueOn === o.dueOn) return o;
  const unit = clock.unit === 'business' ? 'business' : 'calendar';
  return {
    ...o,
    dueOn,
    plannedDueOn: o.dueOn,
    why: `${o.why} Recorded since: ${because.join(', and ')}, so it is due ${dueOn}${clock.days ? ` (${clock.days} ${unit} days after that notice)` : ''}, not ${o.dueOn} as planned from that notice's deadline.`,
  };
}

/** The plan with every tied obligation following the notices already recorded. */
export function followActualNotices(plan: NotificationPlan, tracking: Record<string, ObligationTracking>, pack: RulePack): NotificationPlan {
  const obligations = plan.obligations.map((o) => follow(o, plan, tracking, pack));
  return obligations.every((o, i) => o === plan.obligations[i]) ? plan : { ...plan, obligations };
}
