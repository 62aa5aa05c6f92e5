import { formatCount } from './format';
import { addDays, LocalDate, yearOf } from './calendar';
import { IncidentFacts, Jurisdiction } from './facts';
import { jurisdictionName, sortedJurisdictions } from './jurisdiction-names';
import { LawEnforcementHold, Obligation } from './plan.types';

/** 45 CFR 164.404(b), 164.406(b), 164.408(b), 164.410(b): 60 calendar days after discovery. */
export const HIPAA_NOTICE_DAYS = 60;
/** 164.406(a): more than 500 residents of a State or jurisdiction. */
export const MEDIA_THRESHOLD_GT = 500;
/** 164.408(b): 500 or more individuals in all. */
export const HHS_IMMEDIATE_THRESHOLD_GTE = 500;
/** 164.404(d)(2)(ii): 10 or more with insufficient contact information. */
export const SUBSTITUTE_WEB_THRESHOLD_GTE = 10;
/** 164.408(c): 60 days after the end of the calendar year of discovery. */
export const ANNUAL_LOG_DAYS_AFTER_YEAR_END = 60;

/**
 * Moves an obligation to the end of a law-enforcement hold when the hold ends later; an
 * obligation already past due on the day the statement was received keeps its date (a delay
 * cannot make a late notice timely) and waits for the end of the hold (contract, "Dates that
 * cannot be").
 */
export function applyHold(o: Obligation, hold: LawEnforcementHold | null): Obligation {
  if (!hold || hold.endsOn <= o.dueOn) return o;
  if (o.dueOn < hold.startsOn) {
    return {
      ...o,
      heldUntil: hold.endsOn,
      why: `${o.why} It was already due on ${o.dueOn}, before the law-enforcement statement of ${hold.startsOn}: this notice is late, and the delay does not make it timely. It must still wait until the hold ends on ${hold.endsOn}; send it then without further delay, and record why it was late.`,
      citation: `${o.citation}; ${hold.citation}`,
      verify: true,
      verifyReason: [o.verifyReason, hold.verifyReason].filter(Boolean).join(' '),
    };
  }
  return {
    ...o,
    dueBeforeHold: o.dueOn,
    dueOn: hold.endsOn,
    why: `${o.why} A law-enforcement hold moves it to ${hold.endsOn}.`,
    citation: `${o.citation}; ${hold.citation}`,
    verify: true,
    verifyReason: [o.verifyReason, hold.verifyReason].filter(Boolean).join(' '),
  };
}

export function annualLogDue(discoveryDate: LocalDate): LocalDate {
  return addDays(`${yearOf(discoveryDate)}-12-31`, ANNUAL_LOG_DAYS_AFTER_YEAR_END);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

interface MediaTexts {
  key: string;
  recipient: string;
  whyBefore: string;
  whyAfter: string;
}

/** The words of a media notice that depend only on the jurisdiction, written once per code. */
const mediaTextsByCode = new Map<Jurisdiction, MediaTexts>();

function mediaTexts(code: Jurisdiction): MediaTexts {
  let t = mediaTextsByCode.get(code);
  if (!t) {
    const name = jurisdictionName(code);
    t = {
      key: `HIPAA/media/${code}`,
      recipient: `Prominent media outlets serving ${name} (usually a press release)`,
      whyBefore: `More than 500 residents of ${name} were affected (`,
      whyAfter: `): notice to prominent media outlets serving ${name}, due with the individual notice. `,
    };
    mediaTextsByCode.set(code, t);
  }
  return t;
}

/** The HIPAA obligations of a breach, before any law-enforcement hold. */
export function hipaaObligations(facts: IncidentFacts, discoveryDate: LocalDate): Obligation[] {
  const due = addDays(discoveryDate, HIPAA_NOTICE_DAYS);
  const clock = (paragraph: string) => `Discovered ${discoveryDate}; 60 calendar days later is ${due} (45 CFR ${paragraph}).`;

  if (facts.entity.type === 'business_associate') {
    return [{
      key: 'HIPAA/covered_entity',
      regime: 'HIPAA',
      audience: 'covered_entity',
      recipient: 'The covered entity whose PHI it is (your client)',
      dueOn: due,
      why: `As a business associate, you must tell the covered entity of the breach without unreasonable delay, identifying each individual affected as far as possible and giving what it needs for its own notices. The covered entity notifies individuals, HHS and the media; check your business associate agreement for a shorter deadline. ${clock('164.410(b)')}`,
      citation: '45 CFR 164.410(b), (c)',
      verify: false,
    }];
  }

  const { total } = facts.affected;
  const obligations: Obligation[] = [{
    key: 'HIPAA/individuals',
    regime: 'HIPAA',
    audience: 'individuals',
    recipient: 'Each affected individual (first-class mail, or email where they agreed)',
    dueOn: due,
    why: `${plural(total, 'individual')} affected: each must receive written notice without unreasonable delay and no later than 60 calendar days after discovery. ${clock('164.404(b)')}`,
    citation: '45 CFR 164.404(b), (d)(1)',
    verify: false,
  }];

  const bad = facts.affected.insufficientContact ?? 0;
  if (bad > 0) {
    const web = bad >= SUBSTITUTE_WEB_THRESHOLD_GTE;
    obligations.push({
      key: 'HIPAA/substitute_notice',
      regime: 'HIPAA',
      audience: 'substitute_notice',
      form: web ? 'web_or_media_with_toll_free' : 'alternative',
      recipient: web ? 'The public: home-page posting or major print or broadcast media, with a toll-free number' : 'The individuals who could not be reached by mail',
      dueOn: due,
      why: web
        ? `${plural(bad, 'individual')} with insufficient or out-of-date contact information (10 or more): post a conspicuous notice on the home page for 90 days or in major print or broadcast media where they likely live, with a toll-free number active for at least 90 days. Due with the individual notice.`
        : `${plural(bad, 'individual')} with insufficient or out-of-date contact information (fewer than 10): reach them by another written notice, by telephone or other means. Due with the individual notice.`,
      citation: web ? '45 CFR 164.404(d)(2)(ii)' : '45 CFR 164.404(d)(2)(i)',
      verify: false,
    });
  }

  const by = facts.affected.byJurisdiction ?? {};
  const mediaClock = clock('164.406(b)');
  for (const code of sortedJurisdictions(by)) {
    const residents = by[code] ?? 0;
    if (residents <= MEDIA_THRESHOLD_GT) continue;
    const t = mediaTexts(code);
    obligations.push({
      key: t.key,
      regime: 'HIPAA',
      audience: 'media',
      jurisdiction: code,
      recipient: t.recipient,
      dueOn: due,
      why: `${t.whyBefore}${formatCount(residents)}${t.whyAfter}${mediaClock}`,
      citation: '45 CFR 164.406(a), (b)',
      verify: false,
    });
  }

  const large = total >= HHS_IMMEDIATE_THRESHOLD_GTE;
  const year = yearOf(discoveryDate);
  obligations.push({
    key: 'HIPAA/hhs',
    regime: 'HIPAA',
    audience: 'hhs',
    track: large ? 'with_individual_notice' : 'annual_log',
    recipient: 'The Secretary of HHS, through the OCR breach portal',
    dueOn: large ? due : annualLogDue(discoveryDate),
    why: large
      ? `500 or more individuals affected (${formatCount(total)}): report to HHS at the same time as the individual notice, no later than 60 calendar days after discovery. OCR will list the breach publicly. ${clock('164.408(b)')}`
      : `Fewer than 500 individuals affected (${formatCount(total)}): log the breach and report it to HHS no later than 60 days after the end of ${year}, the calendar year of discovery. Filing earlier is allowed.`,
    citation: large ? '45 CFR 164.408(b)' : '45 CFR 164.408(c)',
    verify: false,
  });
  return obligations;
}
