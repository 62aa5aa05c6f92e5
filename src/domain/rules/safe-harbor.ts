import { DataState, DestructionSafeguard, EncryptionSafeguard } from './facts';
import { Explained } from './plan.types';

/**
 * Safe harbor is a named process, never a phrase (contract, "Additions of 2026-12"). PHI is
 * secured only by the processes the HHS guidance names (74 FR 42740, 42742-43): encryption
 * consistent with NIST SP 800-111 at rest, SP 800-52, 800-77 or 800-113 in motion, or a FIPS 140-2
 * (140-3) validated module; destruction by shredding, pulping, pulverizing or incinerating paper,
 * or clearing, purging or destroying electronic media per NIST SP 800-88. Any other text, or none,
 * means not secured. Free text may describe what was done; it never grants safe harbor.
 */

export const ENCRYPTION_STANDARDS = [
  'NIST SP 800-111', 'NIST SP 800-52', 'NIST SP 800-77', 'NIST SP 800-113', 'FIPS 140-2', 'FIPS 140-3',
] as const;
export type EncryptionStandard = (typeof ENCRYPTION_STANDARDS)[number];

export const DESTRUCTION_METHODS = [
  'shredded', 'pulped', 'pulverized', 'incinerated', 'NIST SP 800-88 clear', 'NIST SP 800-88 purge', 'NIST SP 800-88 destroy',
] as const;
export type DestructionMethod = (typeof DESTRUCTION_METHODS)[number];

export const SAFE_HARBOR_SOURCE =
  '45 CFR 164.402 ("unsecured protected health information"); HHS Guidance to Render Unsecured PHI Unusable, Unreadable, or Indecipherable, 74 FR 42740';

/** Which data state each standard covers: NIST SP 800-111 is storage, 800-52/77/113 transport. */
const STANDARD_STATES: Record<EncryptionStandard, readonly DataState[]> = {
  'NIST SP 800-111': ['at_rest'],
  'NIST SP 800-52': ['in_motion'],
  'NIST SP 800-77': ['in_motion'],
  'NIST SP 800-113': ['in_motion'],
  'FIPS 140-2': ['at_rest', 'in_motion'],
  'FIPS 140-3': ['at_rest', 'in_motion'],
};

const STATE_WORDS: Record<DataState, string> = { at_rest: 'at rest', in_motion: 'in motion', in_use: 'in use' };

const NAMED_ENCRYPTION =
  'PHI is secured only by encryption consistent with NIST SP 800-111 (data at rest) or NIST SP 800-52, 800-77 or 800-113 (data in motion), or by a FIPS 140-2 or FIPS 140-3 validated module';
const NAMED_DESTRUCTION =
  'paper must be shredded, pulped, pulverized or incinerated so it cannot be read or reconstructed; electronic media cleared, purged or destroyed per NIST SP 800-88';

/** Case and white space do not matter: "nist sp 800-111" and "NIST SP800-111" are the same. */
function normal(text: string): string {
  return text.toLowerCase().replace(/\s+/g, '');
}

function named<T extends string>(list: readonly T[], text: string | undefined): T | null {
  if (text === undefined) return null;
  const n = normal(text);
  return list.find((x) => normal(x) === n) ?? null;
}

export function namedStandard(text: string | undefined): EncryptionStandard | null {
  return named(ENCRYPTION_STANDARDS, text);
}

export function namedMethod(text: string | undefined): DestructionMethod | null {
  return named(DESTRUCTION_METHODS, text);
}

/** Why a safeguard did not secure the PHI; `verify` when a person must check the record. */
export interface NotSecured {
  text: string;
  verify: boolean;
  verifyReason?: string;
}

export type SafeguardResult = { secured: Explained } | { notSecured: NotSecured };

function keyFailure(e: EncryptionSafeguard): NotSecured | null {
  if (e.keyCompromised === true) return { text: 'the decryption key or password was compromised', verify: false };
  if (e.keyStoredWithDevice === true) {
    return { text: 'the key or password was kept with the device (a note, the same bag, a file on the same disk), so it was not separated from the data', verify: false };
  }
  if (e.unlockedAtIncident === true) {
    return {
      text: 'the device was running and unlocked, the volume mounted, or it unlocked itself (TPM-only): encryption protected nothing at that moment (HHS ransomware fact sheet, 2016)',
      verify: true,
      verifyReason: 'Whether encryption on a running or self-unlocking device secures the data is a question for counsel.',
    };
  }
  if (e.keyCompromised === undefined) {
    return { text: 'it is not recorded that the key was not compromised, and an unknown key status is treated as compromised', verify: false };
  }
  return null;
}

function standardFailure(e: EncryptionSafeguard, standard: EncryptionStandard | null): NotSecured | null {
  if (e.dataState === 'in_use') {
    return { text: 'the data was in use (open in an application, decrypted in memory), and the HHS guidance secures only data at rest or in motion', verify: false };
  }
  if (e.standard === undefined) {
    return {
      text: `no encryption standard is recorded: ${NAMED_ENCRYPTION}`,
      verify: true,
      verifyReason: 'Record which of the named processes protected the data, with its evidence (product, configuration, validation certificate); until then the PHI is treated as unsecured.',
    };
  }
  if (!standard) {
    return {
      text: `"${e.standard}" is not an encryption process named by the HHS guidance: ${NAMED_ENCRYPTION}`,
      verify: true,
      verifyReason: 'If the product does meet one of the named processes, record that process (e.g. "FIPS 140-2" with the module certificate); free text never grants safe harbor.',
    };
  }
  if (e.dataState && !STANDARD_STATES[standard].includes(e.dataState)) {
    return {
      text: `${standard} is not the process the HHS guidance names for data ${STATE_WORDS[e.dataState]}: ${NAMED_ENCRYPTION}`,
      verify: true,
      verifyReason: 'Check which state the data was in and which process protected it.',
    };
  }
  return null;
}

/** Encryption secures the PHI only with a named process, in a state it covers, and the key safe. */
export function encryptionResult(e: EncryptionSafeguard): SafeguardResult {
  const standard = namedStandard(e.standard);
  const failure = keyFailure(e) ?? standardFailure(e, standard);
  if (failure) return { notSecured: failure };
  const successor = standard === 'FIPS 140-3';
  return {
    secured: {
      why: `The PHI was encrypted (${standard}${e.dataState ? `, data ${STATE_WORDS[e.dataState]}` : ''}) and the key was not compromised, so it was not "unsecured PHI": the Breach Notification Rule requires no notice. Keep the evidence (encryption report, key custody).`,
      citation: SAFE_HARBOR_SOURCE,
      verify: successor,
      ...(successor ? { verifyReason: 'The HHS guidance names FIPS 140-2; FIPS 140-3 is its successor but HHS has not said so. Record the module certificate number.' } : {}),
    },
  };
}

/** Destruction secures the PHI only by one of the named methods; redaction never does. */
export function destructionResult(d: DestructionSafeguard): SafeguardResult {
  const method = namedMethod(d.method);
  if (method) {
    return {
      secured: {
        why: `The PHI was destroyed (${method}) so that it cannot be read or reconstructed, so it was not "unsecured PHI": no notice is required. Keep the certificate of destruction.`,
        citation: `${SAFE_HARBOR_SOURCE}; NIST SP 800-88 for electronic media`,
        verify: false,
      },
    };
  }
  if (d.method === undefined) {
    return {
      notSecured: {
        text: `no destruction method is recorded: ${NAMED_DESTRUCTION}`,
        verify: true,
        verifyReason: 'Record how the PHI was destroyed, with the certificate of destruction; until then it is treated as unsecured.',
      },
    };
  }
  if (normal(d.method).includes('redact')) {
    return { notSecured: { text: `"${d.method}": redaction is expressly excluded as a means of destruction in the HHS guidance`, verify: false } };
  }
  return {
    notSecured: {
      text: `"${d.method}" is not a destruction method the HHS guidance accepts: ${NAMED_DESTRUCTION}`,
      verify: true,
      verifyReason: 'If the PHI was in fact destroyed by one of the named methods, record that method; free text never grants safe harbor.',
    },
  };
}
