import { insuranceAfter } from '../insurance/ledger-state';
import { assign, setup } from 'xstate';
import { IncidentFacts } from '../rules/facts';
import { planNotification } from '../rules/plan';
import { RulePack } from '../rules/rule-pack';
import { checkEvent, factsAfter } from './incident-checks';
import {
  CONTAINMENT_ITEMS,
  ContainmentItem,
  ContainmentStatus,
  Decision,
  IncidentContext,
  IncidentEvent,
  IncidentInput,
  MACHINE_VERSION,
} from './incident.types';
import { corrected, furtherMailed, proofOf, removedObligations } from './proof-records';
import { NotificationPlan } from '../rules/plan.types';
import { reopenForMore, retrack } from './tracking';
import { followRecorded, recordedNotices } from './recorded-notices';

/**
 * The breach lifecycle, from report to close (shared/design/product.md). Pure: the machine holds
 * no timers, invokes nothing and spawns nothing, so any snapshot can be stored and resumed. Every
 * change of facts re-runs the notification plan; the engine derives obligation rows from it.
 *
 * reported -> triage -> active (parallel: workflow | hold | insurance) -> closed -> (reopened)
 */

type Ctx = IncidentContext;
type Ev = IncidentEvent;

function withFacts(ctx: Ctx, facts: IncidentFacts, pack: RulePack): Partial<Ctx> {
  return facts === ctx.facts ? {} : replanned(ctx, facts, pack);
}

/** The plan made again with `pack`, the tracking carried over (work done stays done). */
function replanned(ctx: Ctx, facts: IncidentFacts, pack: RulePack): Partial<Ctx> {
  // Tied state clocks count from the notices already recorded (the first mailing of each).
  const planned = planNotification(facts, pack, recordedNotices(ctx.tracking));
  const { tracking: carried, change } = retrack(ctx.plan, ctx.tracking, planned);
  const tracking = reopenForMore(carried, planned, ctx.facts.affected.total, facts.affected.total);
  return { facts, plan: planned, tracking, removedByLastChange: removedObligations(ctx.plan, planned, facts, change.withdrawn) };
}

function decisionFrom(ctx: Ctx): Decision {
  const { determination, determinationReason } = ctx.plan;
  return {
    outcome: determination === 'breach' ? 'notify' : determination,
    reason: determinationReason.why,
    citation: determinationReason.citation,
  };
}

export function initialContext(input: IncidentInput, pack: RulePack): Ctx {
  const plan = planNotification(input.facts, pack);
  return {
    reference: input.reference,
    summary: input.summary,
    facts: input.facts,
    plan,
    tracking: retrack(null, {}, plan).tracking,
    containment: Object.fromEntries(CONTAINMENT_ITEMS.map((i) => [i, { status: 'open' }])) as Record<ContainmentItem, ContainmentStatus>,
    assessment: null,
    decision: null,
    insurance: {},
    closure: null,
    reopenings: 0,
    privacyOfficerEmail: input.privacyOfficerEmail ?? null,
  };
}

export function createIncidentMachine(pack: RulePack) {
  const allowed = ({ context, event }: { context: Ctx; event: Ev }) => checkEvent(context, event, pack.version) === null;
  return setup({
    types: { context: {} as Ctx, events: {} as Ev, input: {} as IncidentInput },
    guards: {
      allowed,
      secured: ({ context, event }) => allowed({ context, event }) && planNotification(factsAfter(context, event), pack).determination === 'safe_harbor',
      concludesLowProbability: ({ context, event }) => event.type === 'assessment.completed' && event.lowProbability && allowed({ context, event }),
      concludesBreach: ({ context, event }) => event.type === 'assessment.completed' && !event.lowProbability && allowed({ context, event }),
      resumeNotification: ({ context }) => context.decision?.outcome === 'notify',
      resumeSafeHarbor: ({ context }) => context.decision?.outcome === 'safe_harbor',
      resumeAssessment: ({ context }) => context.decision?.outcome === 'exception' || context.decision?.outcome === 'low_probability',
      holdInForce: ({ context }) => !!context.facts.lawEnforcementDelay && !context.facts.lawEnforcementDelay.liftedOn,
      insuranceOutcome: ({ context }, kind: string) => context.insurance.outcome?.kind === kind,
      claimFiled: ({ context }) => !!context.insurance.claimFiledOn,
      noticeGiven: ({ context }) => !!context.insurance.noticeGivenOn,
    },
    actions: {
      applyFacts: assign(({ context, event }) => withFacts(context, factsAfter(context, event), pack)),
      acceptPack: assign(({ context }) => replanned(context, context.facts, pack)),
      decide: assign(({ context }) => ({ decision: decisionFrom(context) })),
      dismiss: assign(({ event }) => ({
        decision: { outcome: 'not_phi', reason: event.type === 'incident.dismissed' ? event.reason : '', citation: '45 CFR 164.402 (definition of breach)' } as Decision,
        closure: { outcome: 'not_reportable', reason: event.type === 'incident.dismissed' ? event.reason : '' } as Ctx['closure'],
      })),
      resolveItem: assign(({ context, event }) => event.type !== 'containment.itemResolved' ? {} : ({
        containment: { ...context.containment, [event.item]: { status: event.status, ...(event.note ? { note: event.note } : {}) } },
      })),
      recordAssessment: assign(({ event }) => {
        if (event.type === 'assessment.completed') return { assessment: { factors: event.factors, lowProbability: event.lowProbability } };
        if (event.type === 'assessment.skipped') return { assessment: { skipped: event.reason } };
        return {};
      }),
      recordNotice: assign(({ context, event }) => {
        let tracking = context.tracking;
        if (event.type === 'notice.sent') {
          const t = tracking[event.key];
          const kept = { ...(t?.earlier ? { earlier: t.earlier } : {}), ...(t?.furtherMailings ? { furtherMailings: t.furtherMailings } : {}) };
          tracking = { ...tracking, [event.key]: { ...kept, status: 'done' as const, proof: proofOf(event, context) } };
        } else if (event.type === 'notice.furtherMailing') {
          tracking = furtherMailed(context, event);
        } else if (event.type === 'proof.corrected') {
          tracking = corrected(context, event);
        } else if (event.type === 'obligation.waived') {
          tracking = { ...tracking, [event.key]: { status: 'waived' as const, reason: event.reason } };
        } else {
          return {};
        }
        return followRecorded(context, tracking, pack);
      }),
      recordInsurance: assign(({ context, event }) => ({ insurance: insuranceAfter(context.insurance, event) })),
      close: assign(({ context }) => ({
        closure: context.decision?.outcome === 'notify'
          ? { outcome: 'notified' as const, reason: 'every obligation was met or waived' }
          : { outcome: 'not_reportable' as const, reason: context.decision?.reason ?? '' },
      })),
      reopen: assign(({ context }) => ({ closure: null, reopenings: context.reopenings + 1 })),
      assignOfficer: assign(({ event }) => (event.type === 'incident.assigned' ? { privacyOfficerEmail: event.privacyOfficerEmail } : {})),
    },
  }).createMachine({
    id: 'incident',
    // xstate's pure transition() and initialTransition() first build a throw-away actor without
    // input (its createInertActorScope) and discard its state. Without input there is no incident
    // to plan: that actor gets an empty context instead of a plan made of nothing, which threw and
    // cost a fifth of every step. Every real start passes input (startIncident).
    context: ({ input }) => (input ? initialContext(input, pack) : ({} as Ctx)),
    initial: 'reported',
    meta: { machineVersion: MACHINE_VERSION, rulePackVersion: pack.version },
    states: {
      reported: {
        tags: ['open'],
        meta: { label: 'Reported', help: 'A suspected breach was reported. Start triage, or accept it as an incident.' },
        on: {
          'triage.started': { target: 'triage' },
          'incident.accepted': { target: 'active' },
          'incident.dismissed': { target: 'closed', actions: 'dismiss' },
          'facts.updated': { guard: 'allowed', actions: 'applyFacts' },
          'incident.assigned': { actions: 'assignOfficer' },
          'plan.packAccepted': { guard: 'allowed', actions: 'acceptPack' },
        },
      },
      triage: {
        tags: ['open'],
        meta: { label: 'Triage', help: 'Accept it as an incident, or dismiss it when no PHI was involved, with the reason.' },
        on: {
          'incident.accepted': { target: 'active' },
          'incident.dismissed': { target: 'closed', actions: 'dismiss' },
          'facts.updated': { guard: 'allowed', actions: 'applyFacts' },
          'incident.assigned': { actions: 'assignOfficer' },
          'plan.packAccepted': { guard: 'allowed', actions: 'acceptPack' },
        },
      },
      active: {
        type: 'parallel',
        tags: ['open'],
        on: {
          'facts.updated': { guard: 'allowed', actions: 'applyFacts' },
          'incident.assigned': { actions: 'assignOfficer' },
          'plan.packAccepted': { guard: 'allowed', actions: 'acceptPack' },
        },
        states: {
          workflow: {
            initial: 'resume',
            states: {
              resume: {
                always: [
                  { guard: 'resumeNotification', target: 'notification' },
                  { guard: 'resumeSafeHarbor', target: 'safeHarborCheck' },
                  { guard: 'resumeAssessment', target: 'riskAssessment' },
                  { target: 'containment' },
                ],
              },
              containment: {
                meta: { label: 'Containment', help: 'Stop the exposure, preserve evidence, reset credentials, engage forensics, call the insurer\'s hotline: mark each done or not applicable.' },
                on: {
                  'containment.itemResolved': { actions: 'resolveItem' },
                  'containment.completed': { guard: 'allowed', target: 'safeHarborCheck' },
                },
              },
              safeHarborCheck: {
                meta: { label: 'Safe-harbor check', help: 'Was the PHI encrypted per NIST guidance with the key safe, or destroyed? (45 CFR 164.402; HHS guidance)' },
                on: {
                  'safeHarbor.assessed': [
                    { guard: 'secured', target: 'notReportable', actions: ['applyFacts', 'decide'] },
                    { guard: 'allowed', target: 'riskAssessment', actions: 'applyFacts' },
                  ],
                },
              },
              riskAssessment: {
                meta: { label: 'Risk assessment', help: 'Does an exception apply? If not, assess the four factors, or notify without an assessment. (45 CFR 164.402)' },
                on: {
                  'assessment.exceptionApplied': { guard: 'allowed', target: 'notReportable', actions: ['applyFacts', 'decide'] },
                  'assessment.completed': [
                    { guard: 'concludesLowProbability', target: 'notReportable', actions: ['applyFacts', 'recordAssessment', 'decide'] },
                    { guard: 'concludesBreach', target: 'notification', actions: ['applyFacts', 'recordAssessment', 'decide'] },
                  ],
                  'assessment.skipped': { guard: 'allowed', target: 'notification', actions: ['applyFacts', 'recordAssessment', 'decide'] },
                },
              },
              notification: {
                meta: { label: 'Notification', help: 'Send each notice the plan requires and record its proof (date, method, count).' },
                on: {
                  'notice.sent': { guard: 'allowed', actions: 'recordNotice' },
                  'notice.furtherMailing': { guard: 'allowed', actions: 'recordNotice' },
                  'proof.corrected': { guard: 'allowed', actions: 'recordNotice' },
                  'obligation.waived': { guard: 'allowed', actions: 'recordNotice' },
                  'incident.closed': { guard: 'allowed', target: '#incident.closed', actions: 'close' },
                },
              },
              notReportable: {
                meta: { label: 'Not reportable', help: 'The breach is not reportable for the reason recorded. Close the incident; the record is kept six years (45 CFR 164.530(j)).' },
                on: {
                  'incident.closed': { guard: 'allowed', target: '#incident.closed', actions: 'close' },
                },
              },
            },
          },
          hold: {
            initial: 'resume',
            states: {
              resume: { always: [{ guard: 'holdInForce', target: 'held' }, { target: 'none' }] },
              none: {
                on: { 'hold.placed': { guard: 'allowed', target: 'held', actions: 'applyFacts' } },
              },
              held: {
                meta: { label: 'Law-enforcement hold', help: 'Notices wait until the hold ends (45 CFR 164.412); work on them continues.' },
                on: {
                  'hold.followUp': { guard: 'allowed', actions: 'applyFacts' },
                  'hold.lifted': { guard: 'allowed', target: 'none', actions: 'applyFacts' },
                },
              },
            },
          },
          insurance: {
            initial: 'resume',
            on: {
              'insurance.policyRecorded': { actions: 'recordInsurance' },
              'insurance.costRecorded': { guard: 'allowed', actions: 'recordInsurance' },
              'insurance.costConsented': { guard: 'allowed', actions: 'recordInsurance' },
              'insurance.costWithdrawn': { guard: 'allowed', actions: 'recordInsurance' },
              'insurance.proofOfLossFiled': { guard: 'allowed', actions: 'recordInsurance' },
            },
            states: {
              resume: {
                always: [
                  { guard: { type: 'insuranceOutcome', params: 'settled' }, target: 'settled' },
                  { guard: { type: 'insuranceOutcome', params: 'denied' }, target: 'denied' },
                  { guard: { type: 'insuranceOutcome', params: 'withdrawn' }, target: 'withdrawn' },
                  { guard: 'claimFiled', target: 'claimFiled' },
                  { guard: 'noticeGiven', target: 'noticeGiven' },
                  { target: 'notNotified' },
                ],
              },
              notNotified: { on: { 'insurance.noticeGiven': { guard: 'allowed', target: 'noticeGiven', actions: 'recordInsurance' } } },
              noticeGiven: {
                on: {
                  'insurance.claimFiled': { guard: 'allowed', target: 'claimFiled', actions: 'recordInsurance' },
                  'insurance.withdrawn': { target: 'withdrawn', actions: 'recordInsurance' },
                },
              },
              claimFiled: {
                on: {
                  'insurance.settled': { target: 'settled', actions: 'recordInsurance' },
                  'insurance.denied': { target: 'denied', actions: 'recordInsurance' },
                  'insurance.withdrawn': { target: 'withdrawn', actions: 'recordInsurance' },
                },
              },
              settled: {},
              denied: {},
              withdrawn: {},
            },
          },
        },
      },
      closed: {
        tags: ['closed'],
        meta: { label: 'Closed', help: 'Closed. New information reopens it as an addendum.' },
        on: {
          'incident.reopened': { guard: 'allowed', target: 'active', actions: ['applyFacts', 'reopen'] },
          // A closed incident planned with an older pack accepts the loaded one before it is reopened.
          'plan.packAccepted': { guard: 'allowed', actions: 'acceptPack' },
        },
      },
    },
  });
}

export type IncidentMachine = ReturnType<typeof createIncidentMachine>;
