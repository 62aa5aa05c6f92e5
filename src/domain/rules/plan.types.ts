import { LocalDate } from './calendar';
import { Jurisdiction } from './facts';

export type Determination = 'safe_harbor' | 'exception' | 'low_probability' | 'breach';

export type Audience =
  | 'individuals'
  | 'substitute_notice'
  | 'media'
  | 'hhs'
  | 'covered_entity'
  | 'regulator';

export type Regime = 'HIPAA' | `US-${Jurisdiction}`;

/** Why a rule applies, in words a privacy officer can read, and where the rule is written. */
export interface Explained {
  why: string;
  citation: string;
  /** The rule or its reading is uncertain: have counsel confirm before relying on it. */
  verify: boolean;
  verifyReason?: string;
}

export interface Obligation extends Explained {
  /** Stable within a plan and across re-plans: `HIPAA/media/CA`, `US-NY/regulator/hhs-copy`. */
  key: string;
  regime: Regime;
  audience: Audience;
  jurisdiction?: Jurisdiction;
  form?: 'alternative' | 'web_or_media_with_toll_free';
  track?: 'with_individual_notice' | 'annual_log';
  /** Who receives the notice, in plain words. */
  recipient: string;
  dueOn: LocalDate;
  /** The date before a law-enforcement hold moved it, when one did. */
  dueBeforeHold?: LocalDate;
  /**
   * Already past due when the law-enforcement statement was received: `dueOn` stays (the notice
   * is late, and a delay cannot make it timely), but it must still wait until this day (164.412).
   */
  heldUntil?: LocalDate;
  /** The date planned from another notice's deadline, before that notice was recorded as sent. */
  plannedDueOn?: LocalDate;
}

export interface PlanNote extends Explained {
  regime: Regime;
}

export interface LawEnforcementHold extends Explained {
  /** The day the (first) statement was received: obligations due before it are not moved. */
  startsOn: LocalDate;
  endsOn: LocalDate;
}

export interface NotificationPlan {
  notificationRequired: boolean;
  determination: Determination;
  discoveryDate: LocalDate;
  obligations: Obligation[];
  rulePackVersion: string;
  /** Why the determination is what it is. */
  determinationReason: Explained;
  /** How the discovery date was fixed. */
  discoveryDateReason: string;
  lawEnforcementHold: LawEnforcementHold | null;
  /** Things considered that create no obligation, or that need a person's judgement. */
  notes: PlanNote[];
  /** True when any obligation, note or reason says "verify with counsel". */
  verify: boolean;
}
