import { ATTACHMENT_KIND_LABELS, AttachmentKind, evidenceFor } from '../domain/evidence/attachment-kinds';
import { formatDollars } from '../domain/insurance/coverage';
import { longDate } from '../domain/letters/documents';
import { addDays, daysBetween, LocalDate } from '../domain/rules/calendar';
import { CONTAINMENT_LABELS, IncidentEventType } from '../domain/lifecycle/incident.types';
import { formatCount } from '../domain/rules/format';
import { IncidentView } from '../incidents/incident-view';
import { eventForm, Field } from './event-forms';
import { stateLawsView } from './state-laws-view';

/** What the incident page shows, computed from the API's view: no second source of truth. */

/** About how wide a label is in the SVG's 11px sans-serif (average glyph 6.2px): enough to keep it inside. */
const labelWidth = (text: string) => Math.ceil(text.length * 6.2);

/**
 * Deadlines on a time axis from discovery, with today marked (an SVG drawn by the template), and
 * the same as a list: the SVG's text alternative, and what a phone shows instead of it. Deadlines
 * on the same day are one mark with a row per deadline and its status; a law-enforcement hold is
 * a band; every label is whole and kept inside the drawing, one row each, so none overlaps.
 */
export function timeline(discovery: LocalDate, today: LocalDate, obligations: { key: string; recipient: string; dueOn: LocalDate; status: string }[], hold?: { from: LocalDate; until: LocalDate } | null) {
  const width = 640;
  const left = 10;
  const right = width - 10;
  const last = obligations.reduce((d, o) => (o.dueOn > d ? o.dueOn : d), [today, discovery, hold?.until ?? discovery].sort().at(-1)!);
  const end = addDays(last, 7);
  const span = Math.max(1, daysBetween(discovery, end));
  const x = (d: LocalDate) => Math.round(left + ((right - left) * Math.max(0, daysBetween(discovery, d))) / span);
  const statusOf = (o: { status: string; dueOn: LocalDate }) => (o.status === 'open' && o.dueOn < today ? 'overdue' : o.status);
  const byDay = new Map<LocalDate, typeof obligations>();
  for (const o of [...obligations].sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.recipient.localeCompare(b.recipient))) {
    byDay.set(o.dueOn, [...(byDay.get(o.dueOn) ?? []), o]);
  }
  let row = 0;
  const groups = [...byDay.entries()].map(([dueOn, items]) => {
    const px = x(dueOn);
    const statuses = items.map(statusOf);
    const lines = items.map((o, i) => {
      const label = `${i === 0 ? `${longDate(dueOn)}: ` : ''}${o.recipient} (${statusOf(o)})`;
      const w = labelWidth(label);
      // Anchored on the mark's side with room, then kept inside the drawing.
      const tx = px + w <= right ? px : Math.max(left, px - w);
      return { label, x: tx, y: 0, overdue: statusOf(o) === 'overdue' };
    });
    const first = row;
    for (const l of lines) l.y = 62 + (row++) * 15;
    return {
      x: px, date: longDate(dueOn), lines, y1: 35, y2: 62 + first * 15 - 10,
      overdue: statuses.includes('overdue'), allDone: statuses.every((st) => st !== 'open' && st !== 'overdue'),
      text: `${longDate(dueOn)}: ${items.map((o) => `${o.recipient}, ${statusOf(o)}`).join('; ')}`,
      items: items.map((o) => ({ recipient: o.recipient, status: statusOf(o) })),
    };
  });
  const height = 78 + row * 15;
  // The list, in date order: discovery, the hold, each day's deadlines, today.
  const list = [
    { on: discovery, date: longDate(discovery), label: 'discovered', items: [] as { recipient: string; status: string }[] },
    ...(hold ? [{ on: hold.from, date: longDate(hold.from), label: `law-enforcement hold until ${longDate(hold.until)} (notice waits)`, items: [] }] : []),
    ...groups.map((g, i) => ({ on: [...byDay.keys()][i], date: g.date, label: '', items: g.items })),
    { on: today, date: longDate(today), label: 'today', items: [] },
  ].sort((a, b) => a.on.localeCompare(b.on));
  const todayX = x(today);
  const todayLabel = `today, ${longDate(today)}`;
  return {
    width, height, axisY: 30, todayX, todayTextX: todayX + labelWidth(todayLabel) <= right ? todayX : Math.max(left, todayX - labelWidth(todayLabel)), todayLabel,
    discoveryX: x(discovery), today: longDate(today), discovery: longDate(discovery), end: longDate(end), groups, list,
    hold: hold ? { x: x(hold.from), width: Math.max(4, x(hold.until) - x(hold.from)), until: longDate(hold.until), from: longDate(hold.from), height: height - 24 } : null,
  };
}

function fieldView(f: Field) {
  return { ...f, isText: f.kind === 'text' || f.kind === 'email' || f.kind === 'date' || f.kind === 'number', isTextarea: f.kind === 'textarea', isSelect: f.kind === 'select', isCheckbox: f.kind === 'checkbox', inputType: f.kind };
}

/**
 * Plain labels for the fields a refusal names, so the page never shows a field path: the labels
 * of every action's form, and the facts a change can touch. A path not listed shows no label.
 */
export const FIELD_LABELS: Record<string, string> = {
  'changes.discovery.date': 'Discovery date',
  'changes.discovery.at': 'Discovery date',
  'changes.affected.total': 'People affected',
  'changes.affected.byJurisdiction': 'Residents per state',
  'changes.affected.insufficientContact': 'People with no usable address',
  holdConfirmed: 'Sent during the hold',
  holdReason: 'Why it went out during the hold',
  sentOn: 'Sent on',
  receivedOn: 'Received on',
  delayUntil: 'Delay until',
  liftedOn: 'Lifted on',
  standard: 'Encryption process',
  method: 'Method',
  reason: 'Reason',
  key: 'Obligation',
};

export function incidentPage(view: IncidentView, today: LocalDate, canAct: boolean, attachedKinds: readonly AttachmentKind[] = []) {
  const facts = view.facts as { discovery: { date?: string; at?: string }; entity: { type: string; state?: string }; affected: { total: number; byJurisdiction?: Record<string, number>; insufficientContact?: number } };
  const obligations = view.obligations.map((o) => ({
    ...o,
    due: longDate(o.dueOn),
    daysLeft: o.status === 'open' ? daysBetween(today, o.dueOn) : null,
    overdue: o.status === 'open' && o.dueOn < today,
    open: o.status === 'open',
    proofText: o.proof ? `${o.proof.method} on ${longDate(o.proof.sentOn)}${o.proof.count !== undefined ? ` (${formatCount(o.proof.count)})` : ''}` : null,
    holdText: o.proof?.duringHold ? `Sent during the law-enforcement hold (which ends ${longDate(o.proof.duringHold.holdEndsOn)}): ${o.proof.duringHold.reason}` : null,
    furtherText: (o.furtherMailings ?? []).map((f) => `Further mailing: ${f.method} on ${longDate(f.sentOn)} (${formatCount(f.count)}, letter batch ${f.batchId})${f.duringHold ? `; sent during the law-enforcement hold: ${f.duringHold.reason}` : ''}`),
    correctedText: o.superseded?.length ? `Corrected ${o.superseded.length === 1 ? 'once' : `${o.superseded.length} times`}; first recorded as ${o.superseded[0].proof.method} on ${longDate(o.superseded[0].proof.sentOn)} (${o.superseded[o.superseded.length - 1].reason})` : null,
    heldText: o.heldUntil ? `Late, and held: send it when the hold ends, ${longDate(o.heldUntil)}` : null,
  }));
  const openKeys: [string, string][] = view.obligations.filter((o) => o.status === 'open').map((o) => [o.key, `${o.recipient} (due ${longDate(o.dueOn)})`]);
  const provenKeys: [string, string][] = view.obligations.filter((o) => o.proof && o.regime !== 'POLICY').map((o) => [o.key, `${o.recipient} (recorded as sent ${longDate(o.proof!.sentOn)})`]);
  const costs: [string, string][] = ((view.insurance as { costs?: { id: string; vendor: string; amount: number; withdrawnReason?: string }[] }).costs ?? [])
    .filter((c) => c.withdrawnReason === undefined).map((c) => [c.id, `${c.id}: ${c.vendor}, ${formatDollars(c.amount)}`]);
  const containment = view.containment as Record<string, { status: string; note?: string }>;
  const openItems = Object.entries(containment).filter(([, v]) => v.status === 'open').map(([k]) => k);
  const actions = canAct
    // A further mailing is recorded by marking its letter batch sent, not by hand.
    ? view.acceptedEvents.filter((type) => type !== 'notice.furtherMailing').map((type: IncidentEventType) => {
      const form = eventForm(type, { openKeys, openItems, provenKeys, costs });
      return { type, ...form, fields: form.fields.map(fieldView), danger: form.tone === 'danger', secondary: form.tone === 'secondary', evidence: evidenceHints(view.id, type, attachedKinds) };
    })
    : [];
  return {
    view,
    facts: {
      discovery: view.plan.discoveryDate ? longDate(view.plan.discoveryDate) : '',
      entity: facts.entity.type === 'business_associate' ? 'Business associate' : 'Covered entity (the practice)',
      total: formatCount(facts.affected.total),
      byState: Object.entries(facts.affected.byJurisdiction ?? {}).map(([s, n]) => `${s} ${formatCount(n)}`).join(', ') || 'not yet known',
      insufficient: formatCount(facts.affected.insufficientContact ?? 0),
    },
    obligations,
    containment: Object.entries(containment).map(([k, v]) => ({ label: CONTAINMENT_LABELS[k as keyof typeof CONTAINMENT_LABELS], status: v.status.replace('_', ' '), done: v.status !== 'open', note: v.note })),
    timeline: timeline(view.plan.discoveryDate, today, view.obligations, holdOf(view)),
    removed: (view.removedByLastChange ?? []).map((r) => ({ recipient: r.recipient, reason: r.reason })),
    stateLaws: stateLawsView(view.plan, view.obligations),
    actions,
    canAct,
  };
}

/** The evidence a step's form wants (issue 15): named, why, attached or a link to attach it with the kind chosen. */
function evidenceHints(id: string, type: IncidentEventType, kinds: readonly AttachmentKind[]) {
  return evidenceFor(type, kinds).map((n) => ({
    label: ATTACHMENT_KIND_LABELS[n.kind], why: n.why, attached: n.attached,
    href: n.attached ? `/incidents/${id}/evidence` : `/incidents/${id}/evidence?kind=${n.kind}#upload`,
  }));
}

/** The law-enforcement hold as a span of days, from the request to the date notice may resume. */
function holdOf(view: IncidentView): { from: LocalDate; until: LocalDate } | null {
  const until = view.plan.lawEnforcementHold?.endsOn;
  const from = (view.facts as { lawEnforcementDelay?: { receivedOn?: LocalDate } | null }).lawEnforcementDelay?.receivedOn;
  return until && from ? { from, until } : null;
}
