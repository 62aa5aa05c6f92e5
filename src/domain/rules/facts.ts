import { LocalDate } from './calendar';

/** The 50 states, DC, and the territories 45 CFR 160.103 counts as States. */
export const JURISDICTIONS = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS',
  'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY',
  'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV',
  'WI', 'WY', 'DC', 'PR', 'GU', 'VI', 'AS', 'MP',
] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export const EXCEPTIONS = ['unintentional_workforce', 'inadvertent_internal', 'unable_to_retain'] as const;
export type ExceptionId = (typeof EXCEPTIONS)[number];

export const ENTITY_TYPES = ['covered_entity', 'business_associate'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const DATA_FORMATS = ['electronic', 'paper', 'both'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/**
 * The kinds of data involved (contract, "What data was involved"). State statutes are triggered
 * only by the elements their definition of personal information names; HIPAA does not depend on it.
 */
export const DATA_ELEMENTS = [
  'name', 'address', 'date_of_birth', 'ssn', 'drivers_license', 'government_id', 'financial_account',
  'medical', 'health_insurance', 'biometric', 'username_password', 'other',
] as const;
export type DataElement = (typeof DATA_ELEMENTS)[number];

/** Whether a covered entity's business associate is its agent (federal common law of agency). */
export type AgencyStatus = true | false | 'unknown';

/** Where the data was when it was exposed (HHS guidance: at rest or in motion; in use is never secured). */
export const DATA_STATES = ['at_rest', 'in_motion', 'in_use'] as const;
export type DataState = (typeof DATA_STATES)[number];

export type DiscoveryFacts = { date: LocalDate } | { at: string; timezone: string };

export interface EncryptionSafeguard {
  applied: boolean;
  /** Absent means unknown, and unknown is treated as compromised (contract, "Safe harbor is a named process"). */
  keyCompromised?: boolean;
  /** The key, password or recovery code was kept with the device (a sticky note, the same bag). */
  keyStoredWithDevice?: boolean;
  /** The device was on and unlocked, the volume mounted, or unlocked itself (TPM-only). */
  unlockedAtIncident?: boolean;
  /** Free text; only a process on the closed list (safe-harbor.ts) secures the PHI. */
  standard?: string;
  dataState?: DataState;
}

export interface DestructionSafeguard {
  applied: boolean;
  /** Free text; only a method on the closed list (safe-harbor.ts, e.g. "shredded", "NIST SP 800-88 purge") secures the PHI. */
  method?: string;
}

export interface LawEnforcementStatement {
  statement: 'oral' | 'written';
  receivedOn: LocalDate;
  /** The period the official stated; absent on a written statement makes it count as oral. */
  delayUntil?: LocalDate;
  /** Who the official is (164.412(b) requires it documented for an oral statement). */
  official?: string;
}

export interface LawEnforcementDelay extends LawEnforcementStatement {
  /** A written statement that followed an oral one (164.412(b)). */
  writtenFollowUp?: { receivedOn: LocalDate; delayUntil?: LocalDate; official?: string };
  /** The official said the delay is no longer needed: the hold ends here if that is sooner. */
  liftedOn?: LocalDate;
}

/** The incident facts of the notification-plan contract, as validated. */
export interface IncidentFacts {
  discovery: DiscoveryFacts;
  entity: {
    type: EntityType;
    state?: Jurisdiction;
    /** A clinic, health facility, home health agency or hospice licensed by its state. */
    licensedHealthFacility?: boolean;
  };
  safeguards?: { encryption?: EncryptionSafeguard; destruction?: DestructionSafeguard };
  exception?: ExceptionId | null;
  riskAssessment?: { lowProbabilityOfCompromise: boolean } | null;
  affected: {
    total: number;
    byJurisdiction?: Partial<Record<Jurisdiction, number>>;
    insufficientContact?: number;
  };
  lawEnforcementDelay?: LawEnforcementDelay | null;
  /** Paper, electronic or both; several state statutes cover computerized data only. */
  dataFormat?: DataFormat;
  /** When the breach was determined (some state clocks run from determination, not discovery). */
  determinedOn?: LocalDate;
  /** Which kinds of data were involved; absent means not known. */
  dataElements?: DataElement[];
  /** A covered entity told of the breach by its business associate (164.404(a)(2)). */
  businessAssociate?: { discoveredOn: LocalDate; agent: AgencyStatus };
}
