import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../app';
import { AuditEntry } from '../audit/audit-trail';
import { AuditService } from '../audit/audit.service';
import { Actor } from '../auth/actor';
import { FixedClock } from '../clock/clock';
import { AppConfig } from '../config/config';
import { CONTAINMENT_ITEMS, RISK_FACTORS } from '../domain/lifecycle/incident.types';
import { RulePack } from '../domain/rules/rule-pack';
import { IncidentView } from '../incidents/incident-view';
import { IncidentsService } from '../incidents/incidents.service';

/**
 * `breachflow demo`: a realistic incident, end to end, on a temporary database, with its timeline
 * printed. A stolen laptop at a dental practice in Illinois; residents in three states.
 */

interface Step {
  day: string;
  actor: Actor;
  event: Record<string, unknown>;
}

const owner: Actor = { id: 'Dr. Dana Okafor (owner)', via: 'system' };
const officer: Actor = { id: 'Sam Lee (privacy officer)', via: 'system' };

const FACTS = {
  discovery: { at: '2026-09-14T13:10:00Z', timezone: 'America/Chicago' },
  entity: { type: 'covered_entity', state: 'IL' },
  affected: { total: 2400, byJurisdiction: { IL: 1490, WI: 600, TX: 260, NY: 12 }, insufficientContact: 14 },
  dataFormat: 'electronic',
};

const factors = Object.fromEntries(RISK_FACTORS.map((f) => [f, { finding: 'see forensic report FR-2026-118', evidence: 'FR-2026-118' }]));

const STEPS: Step[] = [
  { day: '2026-09-14', actor: officer, event: { type: 'triage.started' } },
  { day: '2026-09-14', actor: officer, event: { type: 'incident.accepted', note: 'Laptop held the appointment database' } },
  { day: '2026-09-14', actor: officer, event: { type: 'insurance.policyRecorded', carrier: 'Example Mutual', policyNumber: 'CY-2291', noticeWindowDays: 3 } },
  ...CONTAINMENT_ITEMS.map((item): Step => ({ day: '2026-09-15', actor: officer, event: { type: 'containment.itemResolved', item, status: 'done' } })),
  { day: '2026-09-15', actor: officer, event: { type: 'containment.completed' } },
  { day: '2026-09-15', actor: officer, event: { type: 'insurance.noticeGiven', on: '2026-09-15', method: 'written notice to the claims address' } },
  { day: '2026-09-18', actor: officer, event: { type: 'safeHarbor.assessed', encryption: { applied: true, keyCompromised: false, keyStoredWithDevice: true, standard: 'NIST SP 800-111' }, note: 'BitLocker PIN was taped to the laptop' } },
  { day: '2026-09-22', actor: officer, event: { type: 'hold.placed', statement: 'oral', receivedOn: '2026-09-22', official: 'Det. R. Ortiz, Chicago PD' } },
  { day: '2026-09-25', actor: officer, event: { type: 'assessment.completed', lowProbability: false, factors } },
  { day: '2026-10-05', actor: officer, event: { type: 'hold.followUp', receivedOn: '2026-10-05', delayUntil: '2026-11-30', official: 'Det. R. Ortiz, Chicago PD' } },
  { day: '2026-10-20', actor: officer, event: { type: 'facts.updated', reason: 'Forensics found the backup folder too', changes: { affected: { total: 2650, byJurisdiction: { IL: 1640, WI: 610, TX: 380, NY: 20 }, insufficientContact: 14 } } } },
  { day: '2026-11-16', actor: officer, event: { type: 'hold.lifted', liftedOn: '2026-11-16' } },
];

const METHODS: Record<string, string> = {
  individuals: 'first-class mail',
  substitute_notice: 'home-page posting and toll-free line',
  media: 'press release',
  hhs: 'OCR breach portal',
  regulator: 'online form',
};

function sendAll(view: IncidentView, day: string): Step[] {
  return view.obligations
    .filter((o) => o.status === 'open' && o.regime !== 'POLICY')
    .map((o) => ({ day, actor: officer, event: { type: 'notice.sent', key: o.key, sentOn: day, method: METHODS[o.audience] ?? 'letter', ...(o.audience === 'individuals' ? { count: 2650 } : {}) } }));
}

function line(e: AuditEntry): string {
  const payload = e.payload as Record<string, unknown>;
  const detail = e.type === 'notice.sent' ? ` ${String(payload.key)} by ${String(payload.method)}`
    : e.type === 'containment.itemResolved' ? ` ${String(payload.item)}`
      : '';
  const changes = e.changes as { added?: string[]; withdrawn?: string[]; moved?: { key: string; to: string }[] } | null;
  const moved = changes?.moved?.length ? `; moved: ${changes.moved.map((m) => `${m.key} -> ${m.to}`).join(', ')}` : '';
  const added = changes?.added?.length && e.type !== 'incident.reported' ? `; added: ${changes.added.join(', ')}` : '';
  return `  ${e.at.slice(0, 10)}  #${String(e.seq).padStart(2)}  ${`${e.fromPhase ?? '-'} -> ${e.toPhase}`.padEnd(34)} ${e.type}${detail}${added}${moved}   [${e.actor}]`;
}

export async function runDemo(base: AppConfig, pack: RulePack, out: (text: string) => void): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'breachflow-demo-'));
  const clock = new FixedClock(new Date('2026-09-14T15:00:00Z'));
  const app = await createApp({ config: { ...base, databasePath: join(dir, 'demo.sqlite'), outboxDir: join(dir, 'outbox'), reminderPollSeconds: 0, smtpUrl: null, timezone: 'America/Chicago' }, rulePack: pack, clock, logger: false });
  await app.init();
  try {
    const incidents = app.get(IncidentsService);
    let view = await incidents.report(owner, { summary: 'Office laptop stolen from a car overnight', facts: FACTS });
    out(`breachflow demo: incident ${view.reference}, a stolen laptop (temporary database ${dir})\n\n`);
    out(`Plan at intake (rule pack ${view.plan.rulePackVersion}), discovered ${view.plan.discoveryDate}:\n`);
    for (const o of view.obligations) out(`  due ${o.dueOn}  ${o.key.padEnd(34)} ${o.citation}${o.verify ? '  [verify with counsel]' : ''}\n`);
    const steps = [...STEPS];
    for (let i = 0; i < steps.length; i++) {
      const s = steps[i];
      clock.set(new Date(`${s.day}T16:00:00Z`));
      view = await incidents.dispatch(view.id, s.actor, s.event);
      if (i === steps.length - 1 && view.state.phase === 'notification') {
        steps.push(...sendAll(view, '2026-11-16'), { day: '2026-11-20', actor: officer, event: { type: 'incident.closed', note: 'All notices sent' } });
      }
    }
    out(`\nTimeline (the audit trail):\n`);
    for (const e of await incidents.events(view.id)) out(`${line(e)}\n`);
    out(`\nObligations at close:\n`);
    for (const o of view.obligations) out(`  ${o.status.padEnd(9)} due ${o.dueOn}  ${o.key.padEnd(34)} ${o.proof ? `sent ${o.proof.sentOn} (${o.proof.method})` : ''}\n`);
    const report = await app.get(AuditService).verify();
    out(`\nState: ${view.state.phase} (${view.closure ? `closed: ${(view.closure as { outcome: string }).outcome}` : 'open'}). `);
    out(`Audit chain: ${report.intact ? `intact, ${report.events} events` : `BROKEN: ${report.firstBroken?.problem}`}.\n`);
    return report.intact && view.state.phase === 'closed';
  } finally {
    await app.close();
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  }
}
