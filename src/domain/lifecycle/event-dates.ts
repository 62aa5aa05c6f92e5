import { LocalDate } from '../rules/calendar';
import { discoveryAfter } from '../rules/validate-facts';
import { FieldError } from '../validation';
import { factsAfter } from './incident-checks';
import { IncidentContext, IncidentEvent } from './incident.types';

/**
 * Dates in an event that cannot be as of today (contract, "Dates that cannot be"): a discovery
 * after today, a notice recorded as sent in the future. Pure: the engine passes today's local
 * date in the practice's time zone. Paths are the event's own field names.
 */
export function datesAfterToday(ctx: IncidentContext, event: IncidentEvent, today: LocalDate): FieldError[] {
  switch (event.type) {
    case 'facts.updated':
    case 'incident.reopened':
      return event.changes?.discovery
        ? discoveryAfter(factsAfter(ctx, event), today).map((e) => ({ ...e, path: `changes.${e.path}` }))
        : [];
    case 'notice.sent':
    case 'notice.furtherMailing':
    case 'proof.corrected':
      return event.sentOn !== undefined && event.sentOn > today
        ? [{ path: 'sentOn', message: `${event.sentOn} is in the future (today is ${today} where the practice is): record a notice once it has been sent` }]
        : [];
    default:
      return [];
  }
}
