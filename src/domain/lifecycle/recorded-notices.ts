import { LocalDate } from '../rules/calendar';
import { Jurisdiction, JURISDICTIONS } from '../rules/facts';
import { planNotification } from '../rules/plan';
import { RulePack } from '../rules/rule-pack';
import { RecordedNotices } from '../rules/state-obligations';
import { IncidentContext, ObligationTracking } from './incident.types';
import { retrack } from './tracking';

/**
 * Clocks tied to another notice ("within 15 days of notifying residents", "within 5 business days
 * after notifying HHS") count from that notice's planned date until it is recorded as sent, then
 * from the date it actually went out (the earliest mailing, when there were several).
 */

function sentOn(t: ObligationTracking | undefined): LocalDate | undefined {
  if (!t || t.status !== 'done' || !t.proof) return undefined;
  return [t.proof.sentOn, ...(t.earlier ?? []).map((p) => p.sentOn)].sort()[0];
}

export function recordedNotices(tracking: Record<string, ObligationTracking>): RecordedNotices {
  const stateIndividuals: Partial<Record<Jurisdiction, LocalDate>> = {};
  for (const code of JURISDICTIONS) {
    const d = sentOn(tracking[`US-${code}/individuals`]);
    if (d) stateIndividuals[code] = d;
  }
  const individuals = sentOn(tracking['HIPAA/individuals']);
  const hhs = sentOn(tracking['HIPAA/hhs']);
  return { ...(individuals ? { individuals } : {}), ...(hhs ? { hhs } : {}), ...(Object.keys(stateIndividuals).length ? { stateIndividuals } : {}) };
}

/** After a notice is recorded: the plan again, with tied clocks following the actual date. */
export function followRecorded(ctx: IncidentContext, tracking: Record<string, ObligationTracking>, pack: RulePack): Pick<IncidentContext, 'plan' | 'tracking'> {
  const plan = planNotification(ctx.facts, pack, recordedNotices(tracking));
  const moved = plan.obligations.some((o) => ctx.plan.obligations.find((p) => p.key === o.key)?.dueOn !== o.dueOn);
  if (!moved || plan.rulePackVersion !== ctx.plan.rulePackVersion) return { plan: ctx.plan, tracking };
  return { plan, tracking: retrack(ctx.plan, tracking, plan).tracking };
}
