import { addDays, earlierOf, LocalDate } from './calendar';
import { LawEnforcementDelay } from './facts';
import { LawEnforcementHold } from './plan.types';

/** 45 CFR 164.412(b): an oral statement delays notice no longer than 30 days from the statement. */
export const ORAL_HOLD_MAX_DAYS = 30;

const TOLLING =
  'The rule says to delay for the period stated and is silent on what follows: the plan uses the later of each deadline and the end of the hold for notices not yet due when the statement came, keeps the date of any notice already late then, and expects notice promptly when the hold lifts. Counsel may argue the 60 days are tolled instead.';

function oralEnd(receivedOn: LocalDate, delayUntil: LocalDate | undefined): LocalDate {
  const cap = addDays(receivedOn, ORAL_HOLD_MAX_DAYS);
  return delayUntil ? earlierOf(delayUntil, cap) : cap;
}

/** When a law-enforcement hold ends, and why; null when no official asked for a delay. */
export function lawEnforcementHold(le: LawEnforcementDelay | null | undefined): LawEnforcementHold | null {
  if (!le) return null;
  const hold = holdAsStated(le);
  if (!le.liftedOn || le.liftedOn >= hold.endsOn) return hold;
  return {
    ...hold,
    endsOn: le.liftedOn,
    why: `${hold.why} The official lifted the delay on ${le.liftedOn}, so the hold ends then.`,
  };
}

function holdAsStated(le: LawEnforcementDelay): LawEnforcementHold {
  const reasons = [TOLLING];

  if (le.statement === 'written' && le.delayUntil) {
    return {
      startsOn: le.receivedOn,
      endsOn: le.delayUntil,
      why: `A law enforcement official stated in writing on ${le.receivedOn} that notice would impede a criminal investigation or damage national security, for a period ending ${le.delayUntil}: notices, postings and the HHS report wait until then.`,
      citation: '45 CFR 164.412(a)',
      verify: true,
      verifyReason: reasons.join(' '),
    };
  }

  const endsOn = oralEnd(le.receivedOn, le.delayUntil);
  const form = le.statement === 'written' ? 'written statement that gives no time period (so it counts as oral)' : 'oral statement';
  if (le.statement === 'written') reasons.unshift('A written statement without a time period does not meet 164.412(a); it is treated as oral, at most 30 days.');
  if (!le.official) reasons.unshift('Document who the official is and their agency (164.412(b)).');
  let why = `A law enforcement official's ${form} on ${le.receivedOn} delays notice for no more than ${ORAL_HOLD_MAX_DAYS} days, to ${endsOn}, unless a written statement arrives within that time.`;
  let citation = '45 CFR 164.412(b)';

  const follow = le.writtenFollowUp;
  if (follow) {
    if (follow.receivedOn <= endsOn && follow.delayUntil) {
      return {
        startsOn: le.receivedOn,
        endsOn: follow.delayUntil,
        why: `${why} A written statement followed on ${follow.receivedOn}, within the 30 days, for a period ending ${follow.delayUntil}: the hold runs until then.`,
        citation: '45 CFR 164.412(a), (b)',
        verify: true,
        verifyReason: reasons.join(' '),
      };
    }
    if (follow.receivedOn > endsOn) {
      why += ` The written statement of ${follow.receivedOn} came after the oral hold had lapsed, so it does not extend the hold by itself.`;
      reasons.unshift('A written statement received after an oral hold lapsed is a grey area: escalate to counsel before relying on it, and send notices that are ready.');
    } else {
      why += ` The written statement of ${follow.receivedOn} states no period, so the oral limit stands.`;
      reasons.unshift('A written statement without a time period does not meet 164.412(a).');
    }
    citation = '45 CFR 164.412(a), (b)';
  }
  return { startsOn: le.receivedOn, endsOn, why, citation, verify: true, verifyReason: reasons.join(' ') };
}
