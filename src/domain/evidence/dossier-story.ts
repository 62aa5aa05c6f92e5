import { CONTAINMENT_ITEMS, CONTAINMENT_LABELS, IncidentContext, ObligationTracking, Proof, RISK_FACTORS } from '../lifecycle/incident.types';
import { formatCount } from '../rules/format';
import { JURISDICTIONS } from '../rules/facts';
import { ATTACHMENT_KIND_LABELS, AttachmentKind } from './attachment-kinds';

/** A section of the dossier's story: a heading, paragraphs, and label/value rows. */
export interface StorySection {
  heading: string;
  paragraphs: string[];
  rows: [string, string][];
}

export interface DossierStory {
  title: string;
  sections: StorySection[];
}

/** What the story says of an audit event (no payload values beyond the event's kind and reason). */
export interface StoryEvent {
  seq: number;
  type: string;
  at: string;
  actor: string;
  payload: Record<string, unknown>;
}

export interface StoryAttachment {
  number: number;
  kind: AttachmentKind;
  bytes: number;
  sha256: string;
  actor: string;
  at: string;
  supersededBy: number | null;
  path: string;
}

/** Counts of the letters sent, per state of residence and delivery method: never names. */
export interface MailingCount {
  state: string;
  method: 'mail' | 'email' | 'not sent yet' | 'unreachable';
  people: number;
}

export interface StoryInput {
  context: IncidentContext;
  phaseLabel: string;
  openedAt: string;
  events: StoryEvent[];
  attachments: StoryAttachment[];
  mailings: MailingCount[];
  chain: {
    events: number; head: string; serverHead: string | null;
    /** The practice's signed checkpoint of its whole chain at the export (issue 12), as the trail's last line carries it. */
    practice?: { at: string; count: number; head: string | null; mac: string };
  };
  exportedAt: string;
}

function section(heading: string, paragraphs: string[] = [], rows: [string, string][] = []): StorySection {
  return { heading, paragraphs, rows };
}

function proofText(p: Proof): string {
  return [`sent ${p.sentOn} by ${p.method}`, p.count !== undefined ? `to ${formatCount(p.count)}` : '', p.reference ? `(reference ${p.reference})` : '']
    .filter(Boolean).join(' ');
}

function trackingText(t: ObligationTracking | undefined): string {
  if (!t) return 'open';
  const earlier = (t.earlier ?? []).map((p) => `; earlier: ${proofText(p)}`).join('');
  const further = (t.furtherMailings ?? []).map((f) => `; further mailing: ${proofText(f)} (letter batch ${f.batchId})`).join('');
  if (t.status === 'done' && t.proof) return `done: ${proofText(t.proof)}${earlier}${further}`;
  if (t.status === 'waived') return `waived: ${t.reason ?? ''}`;
  return `${t.status}${earlier}`;
}

function factsSection(input: StoryInput): StorySection {
  const f = input.context.facts;
  const by = JURISDICTIONS.filter((j) => (f.affected.byJurisdiction?.[j] ?? 0) > 0)
    .map((j) => `${j} ${formatCount(f.affected.byJurisdiction![j]!)}`).join(', ');
  const rows: [string, string][] = [
    ['Entity', f.entity.type === 'business_associate' ? 'Business associate' : 'Covered entity'],
    ['Individuals affected', formatCount(f.affected.total)],
    ['By state of residence', by || 'not known'],
    ['Insufficient contact information', formatCount(f.affected.insufficientContact ?? 0)],
    ['Data format', f.dataFormat ?? 'not given'],
    ['Data involved', f.dataElements?.join(', ') ?? 'not given'],
    ['Encryption', f.safeguards?.encryption ? `${f.safeguards.encryption.applied ? 'applied' : 'not applied'}${f.safeguards.encryption.standard ? `, ${f.safeguards.encryption.standard}` : ''}` : 'none recorded'],
    ['Destruction', f.safeguards?.destruction ? `${f.safeguards.destruction.applied ? 'applied' : 'not applied'}${f.safeguards.destruction.method ? `, ${f.safeguards.destruction.method}` : ''}` : 'none recorded'],
  ];
  const changes = input.events.filter((e) => e.type === 'facts.updated' || e.type === 'incident.reopened')
    .map((e) => `${e.at.slice(0, 10)} (${e.actor}): ${e.type === 'incident.reopened' ? 'reopened' : 'facts changed'}: ${String(e.payload.reason ?? '')}`);
  return section('The facts, and how they changed', changes.length ? changes : ['The facts have not changed since the report.'], rows);
}

function decisionSection(c: IncidentContext): StorySection {
  const r = c.plan.determinationReason;
  const paragraphs = [`Determination: ${c.plan.determination.replace('_', ' ')}. ${r.why} (${r.citation})${r.verify ? ' Verify with counsel.' : ''}`];
  if (c.decision) paragraphs.push(`Decision recorded: ${c.decision.outcome.replace('_', ' ')}. ${c.decision.reason} (${c.decision.citation})`);
  const rows: [string, string][] = [];
  if (c.assessment?.factors) {
    for (const f of RISK_FACTORS) {
      const finding = c.assessment.factors[f];
      rows.push([f.replace(/_/g, ' '), `${finding.finding} (evidence: ${finding.evidence})`]);
    }
    rows.push(['Low probability of compromise', c.assessment.lowProbability ? 'yes' : 'no']);
  }
  if (c.assessment?.skipped) paragraphs.push(`The assessment was skipped: ${c.assessment.skipped}`);
  return section('Decisions: safe harbor, exceptions, the four-factor assessment', paragraphs, rows);
}

function noticesSection(c: IncidentContext): StorySection {
  const rows: [string, string][] = c.plan.obligations.map((o) => [
    `${o.recipient} (due ${o.dueOn})`,
    `${trackingText(c.tracking[o.key])}. Why: ${o.why} (${o.citation})${o.verify ? ` Verify with counsel${o.verifyReason ? `: ${o.verifyReason}` : ''}.` : ''}`,
  ]);
  const withdrawn = Object.entries(c.tracking).filter(([key]) => !c.plan.obligations.some((o) => o.key === key));
  for (const [key, t] of withdrawn) rows.push([`${key} (no longer required)`, trackingText(t)]);
  const paragraphs = c.plan.obligations.length ? [] : ['The plan requires no notice.'];
  for (const n of c.plan.notes) paragraphs.push(`Note (${n.regime}): ${n.why} (${n.citation})${n.verify ? ' Verify with counsel.' : ''}`);
  return section(`Notices (rule pack ${c.plan.rulePackVersion})`, paragraphs, rows);
}

function insuranceSection(c: IncidentContext): StorySection {
  const i = c.insurance;
  const rows: [string, string][] = [];
  if (i.policy) rows.push(['Policy', `${i.policy.carrier}${i.policy.policyNumber ? ` ${i.policy.policyNumber}` : ''}, notice within ${i.policy.noticeWindowDays} days of discovery`]);
  if (i.noticeGivenOn) rows.push(['Notice to the insurer', `${i.noticeGivenOn} by ${i.noticeMethod ?? 'unknown method'}`]);
  if (i.claimFiledOn) rows.push(['Claim filed', `${i.claimFiledOn}${i.claimNumber ? `, claim ${i.claimNumber}` : ''}`]);
  if (i.outcome) rows.push(['Outcome', `${i.outcome.kind} on ${i.outcome.on}${i.outcome.amount !== undefined ? `, ${i.outcome.amount}` : ''}${i.outcome.reason ? `: ${i.outcome.reason}` : ''}`]);
  return section('The insurance claim', rows.length ? [] : ['No cyber policy is recorded for this incident.'], rows);
}

/**
 * The dossier's story, for a reader at OCR, an insurer or counsel: what was known, decided and
 * sent, each with its rule, then the evidence and the trail. Pure: it names no patient (the
 * mailings are counts; attachments are listed by number, kind and hash, not by file name).
 */
export function dossierStory(input: StoryInput): DossierStory {
  const c = input.context;
  const hold = c.plan.lawEnforcementHold;
  const typeCounts = new Map<string, number>();
  for (const e of input.events) typeCounts.set(e.type, (typeCounts.get(e.type) ?? 0) + 1);
  return {
    title: `Incident ${c.reference}: dossier`,
    sections: [
      section('The incident', [c.summary], [
        ['Reference', c.reference],
        ['Opened', input.openedAt],
        ['Where it stands', input.phaseLabel],
        ['Discovered', `${c.plan.discoveryDate}. ${c.plan.discoveryDateReason}`],
        ['Exported', input.exportedAt],
      ]),
      factsSection(input),
      decisionSection(c),
      section('Containment', [], CONTAINMENT_ITEMS.map((item) => [CONTAINMENT_LABELS[item], `${c.containment[item].status.replace('_', ' ')}${c.containment[item].note ? `: ${c.containment[item].note}` : ''}`])),
      section('Law-enforcement hold', hold ? [`Notices held until ${hold.endsOn}. ${hold.why} (${hold.citation})`] : ['No law-enforcement hold.']),
      noticesSection(c),
      section('Mailings (counts only)', input.mailings.length ? [] : ['No letters were generated.'], input.mailings.map((m) => [`${m.state}, ${m.method}`, formatCount(m.people)])),
      insuranceSection(c),
      section('Evidence attached', input.attachments.length ? [] : ['No attachments.'], input.attachments.map((a) => [
        `#${a.number} ${ATTACHMENT_KIND_LABELS[a.kind]}`,
        `${a.path}, ${formatCount(a.bytes)} bytes, SHA-256 ${a.sha256}; by ${a.actor} at ${a.at}${a.supersededBy ? `; superseded by #${a.supersededBy}` : ''}`,
      ])),
      section('The audit trail', [
        `${formatCount(input.chain.events)} events, in audit-trail.jsonl with the dossier's own chain (docs/dossier.md). Head of that chain: ${input.chain.head}.`,
        input.chain.serverHead ? `The incident's last event in breachflow's audit chain has the hash ${input.chain.serverHead}.` : '',
        input.chain.practice
          ? `The practice's signed checkpoint at the export (the last line of audit-trail.jsonl): at ${input.chain.practice.at} its audit chain held ${formatCount(input.chain.practice.count)} events ending in ${input.chain.practice.head ?? 'none'}; signature ${input.chain.practice.mac}. No event of this dossier may come after it; with the practice's audit key every event can be proven against it (docs/dossier.md).`
          : '',
      ].filter(Boolean), [...typeCounts.entries()].map(([type, n]) => [type, formatCount(n)])),
    ],
  };
}
