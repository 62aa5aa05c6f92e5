import { longDate } from '../domain/letters/documents';
import { formatCount } from '../domain/rules/format';
import { JurisdictionSummary, NotificationPlan, Obligation } from '../domain/rules/plan.types';

/**
 * The incident page's "State laws" section: every state with patients, its statute and the
 * rule pack's confidence, with its obligations; and the states with patients but no obligation,
 * each with why (exempt for HIPAA entities, data not covered, under the threshold ...).
 */
type Shown = Pick<Obligation, 'key' | 'recipient' | 'dueOn' | 'citation' | 'verify' | 'verifyReason' | 'creditMonitoring'>;

export function stateLawsView(plan: Omit<NotificationPlan, 'obligations'>, obligations: readonly Shown[]) {
  const list: JurisdictionSummary[] = plan.jurisdictions ?? [];
  const byKey = new Map(obligations.map((o) => [o.key, o]));
  const withDuties = list.filter((j) => j.status === 'obligations').map((j) => ({
    ...j,
    residentsText: formatCount(j.residents),
    confidenceText: confidenceText(j.confidence),
    obligations: j.obligationKeys.map((k) => byKey.get(k)).filter((o) => !!o).map((o) => ({ ...o, due: longDate(o.dueOn) })),
  }));
  const without = list.filter((j) => j.status !== 'obligations').map((j) => ({
    ...j, residentsText: formatCount(j.residents), confidenceText: confidenceText(j.confidence),
  }));
  return {
    shown: list.length > 0,
    withDuties,
    without,
    packVersion: plan.rulePackVersion,
    reviewedOn: plan.rulePackReviewedOn ? longDate(plan.rulePackReviewedOn) : null,
  };
}

function confidenceText(c: JurisdictionSummary['confidence']): string {
  if (c === null) return 'not in the rule pack';
  return c === 'high' ? 'high confidence' : `${c} confidence: verify with counsel`;
}
