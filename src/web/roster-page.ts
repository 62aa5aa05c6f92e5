import { formatCount } from '../domain/rules/format';
import { IncidentView } from '../incidents/incident-view';
import { ImportSummary, RosterCounts } from '../roster/roster.service';
import { plainErrors } from './plain-words';

/** The roster page's model: counts only (never a person's details), imports, and what they did to the plan. */
export function rosterPage(view: IncidentView, roster: RosterCounts, imports: ImportSummary[], last?: ImportSummary, following?: ImportSummary) {
  const substitute = view.obligations.find((o) => o.key === 'HIPAA/substitute_notice' && o.status !== 'withdrawn');
  const unreachable = roster.insufficientContact;
  const planEffect = unreachable === 0 ? 'Everyone on the roster can be reached by mail or email.'
    : substitute ? `${formatCount(unreachable)} unreachable: substitute notice is now required (${substitute.citation}), due ${substitute.dueOn}.`
      : `${formatCount(unreachable)} unreachable: fewer than 10, so a written notice by another means, a phone call or similar is enough (164.404(d)(2)(i)).`;
  const importView = (i: ImportSummary) => ({
    ...i,
    running: i.status === 'running',
    problems: plainErrors(i.errors).map((e) => e.message),
    statusText: { running: 'reading', done: 'imported', rejected: 'rejected: nothing imported', failed: 'failed: nothing imported' }[i.status],
  });
  return {
    counts: {
      people: formatCount(roster.people), mail: formatCount(roster.byDelivery.mail), email: formatCount(roster.byDelivery.email),
      none: formatCount(roster.byDelivery.none), returned: formatCount(roster.returnedMail), insufficient: formatCount(unreachable),
      byState: Object.entries(roster.byJurisdiction).map(([s, n]) => `${s} ${formatCount(n)}`).join(', ') || 'none yet',
    },
    planEffect,
    imports: imports.map(importView),
    last: last ? importView(last) : null,
    following: following ? { importId: following.importId, rowsRead: formatCount(following.rowsRead) } : null,
    watchProgress: imports.some((i) => i.status === 'running'),
  };
}
