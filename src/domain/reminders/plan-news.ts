import { IncidentContext } from '../lifecycle/incident.types';
import { TrackedObligation, trackedObligations } from '../lifecycle/tracking';
import { formatCount } from '../rules/format';
import { jurisdictionName } from '../rules/jurisdiction-names';
import { Jurisdiction } from '../rules/facts';
import { LocalDate } from '../rules/calendar';
import { nextStep, obligationTitle } from './next-steps';

/** The kinds of message that tell people what changed, beside the reminders. */
export type NewsKind = 'reported' | 'replanned';

export interface NewsItem {
  title: string;
  recipient: string;
  dueOn: LocalDate;
  /** "new" or "moved earlier from <date>". */
  change: string;
  why: string;
  citation: string;
  verify: boolean;
  verifyReason: string;
  nextStep: string;
}

export interface PlanNews {
  kind: NewsKind;
  reference: string;
  /** What was reported, in counts and dates only: never the free-text summary (it may hold PHI). */
  facts: string[];
  items: NewsItem[];
}

interface ChangeLike { added?: string[]; moved?: { key: string; from: LocalDate; to: LocalDate }[] }

const item = (o: TrackedObligation, change: string): NewsItem => ({
  title: obligationTitle(o), recipient: o.recipient, dueOn: o.dueOn, change, why: o.why, citation: o.citation,
  verify: o.verify, verifyReason: o.verifyReason ?? '', nextStep: nextStep(o),
});

/**
 * What the privacy officer and the owner are told at once: on a report, every open obligation
 * (soonest first: the first deadline leads); on a re-plan, only the obligations it added or moved
 * earlier (a later date or a withdrawal worries nobody). Null when there is nothing to tell.
 */
export function planNews(kind: NewsKind, ctx: IncidentContext, change: ChangeLike | null): PlanNews | null {
  const open = trackedObligations(ctx).filter((o) => o.status === 'open');
  const added = new Set(change?.added ?? []);
  const earlier = new Map((change?.moved ?? []).filter((mv) => mv.to < mv.from).map((mv) => [mv.key, mv.from]));
  const items = open
    .filter((o) => kind === 'reported' || added.has(o.key) || earlier.has(o.key))
    .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.key.localeCompare(b.key))
    .map((o) => item(o, kind === 'reported' || added.has(o.key) ? 'new' : `moved earlier, from ${earlier.get(o.key)}`));
  if (!items.length) return null;
  const f = ctx.facts;
  const states = Object.entries(f.affected.byJurisdiction ?? {}).map(([s, n]) => `${jurisdictionName(s as Jurisdiction)} ${formatCount(n)}`);
  return {
    kind,
    reference: ctx.reference,
    facts: [
      `Discovered on ${ctx.plan.discoveryDate}.`,
      `About ${formatCount(f.affected.total)} ${f.affected.total === 1 ? 'person' : 'people'} affected${states.length ? ` (${states.join(', ')})` : ''}.`,
      ...(f.dataFormat ? [`${f.dataFormat === 'paper' ? 'Paper records' : 'Electronic records'}.`] : []),
    ],
    items,
  };
}
