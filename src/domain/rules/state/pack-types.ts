import { LocalDate } from '../calendar';
import { DataElement, Jurisdiction } from '../facts';

/**
 * The state-law rule pack: every jurisdiction's breach statute as data (architecture rule 4).
 * The pack is versioned and dated (`reviewedOn`); every plan names the version it used.
 */

export const CLOCK_ANCHORS = ['discovery', 'determination', 'individual_notice', 'hhs_notice'] as const;
export type ClockAnchor = (typeof CLOCK_ANCHORS)[number];

/** How a clock relates to its anchor: within N days of it, or strictly before it. */
export const CLOCK_RELATIONS = ['within', 'before'] as const;
export type ClockRelation = (typeof CLOCK_RELATIONS)[number];

export interface Clock {
  /** What the days count from: discovery, the state-law determination, the notice to the
   *  state's residents, or the notice to HHS. */
  from: ClockAnchor;
  days: number;
  unit: 'calendar' | 'business';
  /** `before`: due the day before the anchor ("before notifying the residents"). Default within. */
  relation?: ClockRelation;
  /** The statute's own words for the timing, when they say more than the day count. */
  wording?: string;
  /** Also no later than the notice to the state's residents (VT's "or sooner"). */
  notLaterThanIndividualNotice?: boolean;
  /** The statute allows no extension ("non-extendable"): a law-enforcement hold does not move it. */
  notExtendable?: boolean;
  /** The clock applies to breaches discovered on or after this date. */
  effectiveFrom?: LocalDate;
  /** The rule for breaches discovered before `effectiveFrom` (null: no fixed day count). */
  before?: Clock | null;
}

export interface Sourced {
  citation: string;
  verify: boolean;
  verifyReason?: string;
}

export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const HIPAA_DEEMED = ['yes', 'partial', 'no', 'unclear'] as const;
/** yes: HIPAA notice is compliance (the state's duties fall away, except those marked to survive);
 *  partial: the individual notice falls away, the regulator duties stay; no / unclear: all stay. */
export type HipaaDeemed = (typeof HIPAA_DEEMED)[number];

export interface Threshold {
  comparison: '>' | '>=';
  residents: number;
}

/** The statute's definition of personal information, in the contract's vocabulary. */
export interface PersonalInformationRule {
  /** Elements that trigger the statute together with the person's name. */
  withName: DataElement[];
  /** Elements that trigger it on their own (e.g. a username with its password). */
  alone: DataElement[];
  citation: string;
  /** What else the definition covers that the contract's vocabulary has no word for (North
   *  Dakota's mother's maiden name, a DNA profile ...). Only "other" data can be one of these, so
   *  when "other" was involved the statute is planned with verify. The words are shown, never matched. */
  otherElements?: OtherElements;
}

export interface OtherElements {
  /** The statute's elements in plain words ("a mother's maiden name, a digitized signature"). */
  covers: string;
  /** They count only together with the person's name. */
  withName: boolean;
}

export interface StateIndividualRule extends Sourced {
  /** null: "without unreasonable delay" with no fixed day count (HIPAA's 60 days is the outer limit). */
  clock: Clock | null;
  /** The statute's words for the timing. */
  wording: string;
  /** Whether notice given under HIPAA satisfies the state's individual notice. */
  hipaaDeemedCompliance: HipaaDeemed;
  hipaaDeemedWhy: string;
  /** The deemer reaches the notice's content only (or is conditioned on a stricter clock): the
   *  state's clock still applies to a HIPAA entity (CA 1798.82(e), ME 1349(4)). */
  deemerKeepsClock?: boolean;
}

export interface RegulatorRule extends Sourced {
  id: string;
  recipient: string;
  /** What goes to the regulator, in plain words (sample letter, online form ...). */
  what: string;
  /** Absent: any resident of the state triggers it. */
  threshold?: Threshold;
  clock: Clock;
  /** Overrides the state's deemer for this notice: true keeps it for a HIPAA entity even when
   *  HIPAA notice is deemed compliance; false drops it whenever HIPAA notice is deemed compliance
   *  (yes or partial), e.g. a notice the HIPAA clause replaces with another. */
  survivesHipaaDeemer?: boolean;
}

export interface CraRule extends Sourced {
  /** Absent: every notice to residents is also told to the agencies. */
  threshold?: Threshold;
  clock: Clock;
}

export interface VendorRule extends Sourced {
  /** null: "without unreasonable delay" (no fixed day count). */
  clock: Clock | null;
  wording: string;
}

export interface CreditMonitoringRule extends Sourced {
  months: number;
  /** Offered when any of these elements was involved. */
  when: DataElement[];
  what: string;
}

export const HEALTH_LAW_SUBJECTS = ['licensed_health_facility'] as const;
export type HealthLawSubject = (typeof HEALTH_LAW_SUBJECTS)[number];

export interface HealthLawNotice {
  id: string;
  audience: 'regulator' | 'individuals';
  recipient: string;
  what: string;
  clock: Clock;
}

/** A health-specific law that reaches a practice of a given kind (CA H&S 1280.15). */
export interface HealthLawRule extends Sourced {
  id: string;
  name: string;
  appliesTo: HealthLawSubject;
  /** Triggered when any of these elements was involved. */
  elements: DataElement[];
  notices: HealthLawNotice[];
}

/** A state holiday that state business-day clocks skip, beside the federal holidays. */
export type StateHoliday =
  | { name: string; month: number; day: number }
  | { name: string; month: number; weekday: number; nth: number; offsetDays?: number };

export interface StateRule {
  name: string;
  /** The breach statute, at the subsection the digest gives. */
  statute: string;
  /** The digest's confidence in the entry; medium or low makes every duty say "verify". */
  confidence: Confidence;
  /** Facts the digest marks "recalled" (not confirmed in a retrieved source). */
  recalled: string[];
  /** What to confirm, when confidence is not high or a fact is recalled. */
  verifyReason?: string;
  /** Does the statute reach paper records? null: the digest does not say. */
  coversPaper: boolean | null;
  personalInformation: PersonalInformationRule;
  individualNotice: StateIndividualRule | null;
  regulators: RegulatorRule[];
  consumerReportingAgencies: CraRule | null;
  /** A vendor's (third-party agent's) notice to the data owner, for business associates. */
  serviceProviderNotice: VendorRule | null;
  creditMonitoring: CreditMonitoringRule | null;
  healthLaws: HealthLawRule[];
  /** State holidays a business-day clock of this state skips. */
  holidays: StateHoliday[];
  notes: string[];
}

/** A jurisdiction with no breach statute known: the plan says so. */
export interface NoStatuteRule {
  name: string;
  noStatute: true;
  why: string;
}

export interface RulePack {
  version: string;
  reviewedOn: LocalDate;
  source: string;
  states: Partial<Record<Jurisdiction, StateRule | NoStatuteRule>>;
}

export function hasStatute(rule: StateRule | NoStatuteRule): rule is StateRule {
  return !('noStatute' in rule);
}
