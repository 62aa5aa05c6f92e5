import { ExceptionId, IncidentFacts } from './facts';
import { Determination, Explained, PlanNote } from './plan.types';
import { destructionResult, encryptionResult, NotSecured, SAFE_HARBOR_SOURCE } from './safe-harbor';

/**
 * Is this a reportable breach? Safe harbor first, then the three exceptions, then the risk
 * assessment (45 CFR 164.402), in that order, each with its reason.
 */

const EXCEPTION_REASONS: Record<ExceptionId, { why: string; citation: string }> = {
  unintentional_workforce: {
    why: 'A workforce member acquired, accessed or used the PHI unintentionally, in good faith and within the scope of their authority, with no further impermissible use or disclosure: this is not a breach. Keep the record of each condition; the burden of proof is on the practice (45 CFR 164.414(b)).',
    citation: '45 CFR 164.402(1)(i)',
  },
  inadvertent_internal: {
    why: 'A person authorized to access PHI disclosed it inadvertently to another person authorized at the same covered entity, business associate or organized health care arrangement, with no further impermissible use or disclosure: this is not a breach. Keep the record of each condition (45 CFR 164.414(b)).',
    citation: '45 CFR 164.402(1)(ii)',
  },
  unable_to_retain: {
    why: 'The practice believes in good faith that the unauthorized person could not reasonably have retained the information: this is not a breach. Record the basis for that belief (45 CFR 164.414(b)).',
    citation: '45 CFR 164.402(1)(iii)',
  },
};

export interface DeterminationResult {
  determination: Determination;
  reason: Explained;
  notes: PlanNote[];
}

/** The safe harbor reason, or null with each safeguard's failure recorded for the explanation. */
function safeHarbor(facts: IncidentFacts, failures: NotSecured[]): Explained | null {
  const enc = facts.safeguards?.encryption;
  const des = facts.safeguards?.destruction;
  const results = [
    ...(enc?.applied ? [{ what: 'Encryption', result: encryptionResult(enc) }] : []),
    ...(des?.applied ? [{ what: 'Destruction', result: destructionResult(des) }] : []),
  ];
  for (const { result } of results) if ('secured' in result) return result.secured;
  for (const { what, result } of results) {
    if ('notSecured' in result) failures.push({ ...result.notSecured, text: `${what} does not give safe harbor here: ${result.notSecured.text}.` });
  }
  return null;
}

/** A determination other than safe harbor also says why the safeguards did not secure the PHI. */
function withFailures(reason: Explained, failures: NotSecured[]): Explained {
  if (failures.length === 0) return reason;
  const verifyReasons = [...failures.map((f) => f.verifyReason), reason.verifyReason].filter(Boolean);
  const verify = reason.verify || failures.some((f) => f.verify);
  return {
    why: `${failures.map((f) => f.text).join(' ')} The PHI is treated as unsecured. ${reason.why}`,
    citation: `${SAFE_HARBOR_SOURCE}; ${reason.citation}`,
    verify,
    ...(verify && verifyReasons.length ? { verifyReason: verifyReasons.join(' ') } : {}),
  };
}

export function determine(facts: IncidentFacts): DeterminationResult {
  const failures: NotSecured[] = [];
  const harbor = safeHarbor(facts, failures);
  if (harbor) return { determination: 'safe_harbor', reason: harbor, notes: [] };
  const notes: PlanNote[] = failures.map((f) => ({
    regime: 'HIPAA', why: `${f.text} The PHI is treated as unsecured.`, citation: SAFE_HARBOR_SOURCE, verify: f.verify, ...(f.verifyReason ? { verifyReason: f.verifyReason } : {}),
  }));
  const result = decideUnsecured(facts);
  return { ...result, reason: withFailures(result.reason, failures), notes };
}

/** Unsecured PHI: an exception, then the risk assessment (45 CFR 164.402(1), (2)). */
function decideUnsecured(facts: IncidentFacts): Omit<DeterminationResult, 'notes'> {
  if (facts.exception) {
    return { determination: 'exception', reason: { ...EXCEPTION_REASONS[facts.exception], verify: false } };
  }
  if (facts.riskAssessment?.lowProbabilityOfCompromise) {
    return {
      determination: 'low_probability',
      reason: {
        why: 'A documented risk assessment of at least the four factors (the PHI involved, who received it, whether it was actually acquired or viewed, how far the risk was mitigated) shows a low probability that the PHI was compromised: no notice is required. Keep the assessment; the burden of proof is on the practice (45 CFR 164.414(b)).',
        citation: '45 CFR 164.402(2)',
        verify: false,
      },
    };
  }
  const assessed = facts.riskAssessment
    ? 'the risk assessment did not show a low probability of compromise'
    : 'no risk assessment showing a low probability of compromise was recorded';
  return {
    determination: 'breach',
    reason: {
      why: `An impermissible use or disclosure of unsecured PHI is presumed to be a breach, and ${assessed}: notice is required.`,
      citation: '45 CFR 164.402 (definition of breach, paragraph (2))',
      verify: false,
    },
  };
}
