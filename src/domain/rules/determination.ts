import { EncryptionSafeguard, ExceptionId, IncidentFacts } from './facts';
import { Determination, Explained, PlanNote } from './plan.types';

/**
 * Is this a reportable breach? Safe harbor first, then the three exceptions, then the risk
 * assessment (45 CFR 164.402), in that order, each with its reason.
 */

const SAFE_HARBOR_SOURCE =
  '45 CFR 164.402 ("unsecured protected health information"); HHS Guidance to Render Unsecured PHI Unusable, Unreadable, or Indecipherable, 74 FR 42740';

/** NIST and FIPS references the HHS guidance names for encryption at rest and in motion. */
const GUIDANCE_STANDARDS = ['800-111', '800-52', '800-77', '800-113', 'FIPS140-2'];

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

function encryptionFailure(e: EncryptionSafeguard): { text: string; verify: boolean } | null {
  if (e.keyCompromised === true) return { text: 'the decryption key or password was compromised', verify: false };
  if (e.keyStoredWithDevice === true) {
    return { text: 'the key or password was kept with the device (a note, the same bag, a file on the same disk), so it was not separated from the data', verify: false };
  }
  if (e.unlockedAtIncident === true) {
    return {
      text: 'the device was running and unlocked, the volume mounted, or it unlocked itself (TPM-only): encryption protected nothing at that moment (HHS ransomware fact sheet, 2016)',
      verify: true,
    };
  }
  if (e.keyCompromised === undefined) {
    return { text: 'it is not recorded that the key was not compromised, and an unknown key status is treated as compromised', verify: false };
  }
  return null;
}

function standardVerify(standard: string | undefined): string | undefined {
  if (!standard) {
    return 'No encryption standard is recorded. Safe harbor requires encryption consistent with NIST SP 800-111 at rest, or SP 800-52, 800-77 or 800-113 or a FIPS 140-2 validated module in motion: record the product and its validation.';
  }
  const s = standard.toUpperCase().replace(/\s+/g, '');
  if (s.includes('FIPS140-3')) {
    return 'The HHS guidance names FIPS 140-2; FIPS 140-3 is its successor but HHS has not said so. Record the module certificate number.';
  }
  if (!GUIDANCE_STANDARDS.some((g) => s.includes(g.replace(/\s+/g, '')))) {
    return `"${standard}" is not one of the NIST or FIPS references the HHS guidance names; confirm it is consistent with them.`;
  }
  return undefined;
}

function safeHarbor(facts: IncidentFacts, notes: PlanNote[]): Explained | null {
  const enc = facts.safeguards?.encryption;
  if (enc?.applied) {
    const failure = encryptionFailure(enc);
    if (!failure) {
      const verifyReason = standardVerify(enc.standard);
      return {
        why: `The PHI was encrypted${enc.standard ? ` (${enc.standard})` : ''} and the key was not compromised, so it was not "unsecured PHI": the Breach Notification Rule requires no notice. Keep the evidence (encryption report, key custody).`,
        citation: SAFE_HARBOR_SOURCE,
        verify: verifyReason !== undefined,
        ...(verifyReason ? { verifyReason } : {}),
      };
    }
    notes.push({
      regime: 'HIPAA',
      why: `Encryption does not give safe harbor here: ${failure.text}. The PHI is treated as unsecured.`,
      citation: SAFE_HARBOR_SOURCE,
      verify: failure.verify,
      ...(failure.verify ? { verifyReason: 'Whether encryption on a running or self-unlocking device secures the data is a question for counsel.' } : {}),
    });
  }
  const des = facts.safeguards?.destruction;
  if (des?.applied) {
    if (des.method && /redact/i.test(des.method)) {
      notes.push({
        regime: 'HIPAA',
        why: 'Redaction is expressly excluded as a means of destruction in the HHS guidance: the PHI is treated as unsecured.',
        citation: SAFE_HARBOR_SOURCE,
        verify: false,
      });
      return null;
    }
    return {
      why: `The PHI was destroyed${des.method ? ` (${des.method})` : ''} so that it cannot be read or reconstructed, so it was not "unsecured PHI": no notice is required. Keep the certificate of destruction.`,
      citation: `${SAFE_HARBOR_SOURCE}; NIST SP 800-88 for electronic media`,
      verify: !des.method,
      ...(!des.method ? { verifyReason: 'No destruction method is recorded: paper must be shredded or destroyed beyond reconstruction, electronic media cleared, purged or destroyed per NIST SP 800-88.' } : {}),
    };
  }
  return null;
}

export function determine(facts: IncidentFacts): DeterminationResult {
  const notes: PlanNote[] = [];
  const harbor = safeHarbor(facts, notes);
  if (harbor) return { determination: 'safe_harbor', reason: harbor, notes };
  if (facts.exception) {
    return { determination: 'exception', reason: { ...EXCEPTION_REASONS[facts.exception], verify: false }, notes };
  }
  if (facts.riskAssessment?.lowProbabilityOfCompromise) {
    return {
      determination: 'low_probability',
      reason: {
        why: 'A documented risk assessment of at least the four factors (the PHI involved, who received it, whether it was actually acquired or viewed, how far the risk was mitigated) shows a low probability that the PHI was compromised: no notice is required. Keep the assessment; the burden of proof is on the practice (45 CFR 164.414(b)).',
        citation: '45 CFR 164.402(2)',
        verify: false,
      },
      notes,
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
    notes,
  };
}
