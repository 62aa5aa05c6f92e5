import { facts, shippedPack } from '../../../test/factories/facts';
import { IncidentFacts } from '../rules/facts';
import { checkEvent } from './incident-checks';
import { validateEvent } from './incident-events';
import { acceptedEvents, fromStored, IncidentSnapshot, phaseOf, startIncident, step, toStored } from './incident-snapshot';
import { createIncidentMachine } from './incident.machine';
import { CONTAINMENT_ITEMS, IncidentEvent, RISK_FACTORS } from './incident.types';
import { openObligations, trackedObligations } from './tracking';

const machine = createIncidentMachine(shippedPack);

function start(f: IncidentFacts = facts()): IncidentSnapshot {
  return startIncident(machine, { reference: 'BF-2026-0001', summary: 'Laptop stolen from a car', facts: f });
}

function run(snapshot: IncidentSnapshot, ...events: IncidentEvent[]): IncidentSnapshot {
  return events.reduce((s, e) => {
    const next = step(machine, s, e);
    return next;
  }, snapshot);
}

const contained: IncidentEvent[] = [
  { type: 'incident.accepted' },
  ...CONTAINMENT_ITEMS.map((item): IncidentEvent => ({ type: 'containment.itemResolved', item, status: 'done' })),
  { type: 'containment.completed' },
];
const unsecured: IncidentEvent = { type: 'safeHarbor.assessed', encryption: { applied: false } };
const factorsWith = (evidence: string) =>
  Object.fromEntries(RISK_FACTORS.map((f) => [f, { finding: `finding on ${f}`, evidence }])) as Extract<IncidentEvent, { type: 'assessment.completed' }>['factors'];

/** Where a refused event would leave the incident: the same snapshot, and the reason why. */
function refusal(s: IncidentSnapshot, e: IncidentEvent) {
  return { can: s.can(e), check: checkEvent(s.context, e, shippedPack.version) };
}

describe('the incident machine', () => {
  it('starts reported, with the plan made from the intake facts and every obligation open', () => {
    const s = start();
    expect(phaseOf(s)).toBe('reported');
    expect(s.hasTag('open')).toBe(true);
    expect(s.context.plan.obligations.map((o) => o.key)).toEqual(['HIPAA/individuals', 'HIPAA/hhs']);
    expect(openObligations(s.context).map((o) => o.key)).toEqual(['HIPAA/individuals', 'HIPAA/hhs']);
    expect(acceptedEvents(s)).toEqual(['triage.started', 'incident.accepted', 'incident.dismissed', 'facts.updated', 'incident.assigned']);
  });

  it('triage: dismissed as no PHI involved closes it with the reason, and nothing else is accepted but a reopening', () => {
    const s = run(start(), { type: 'triage.started' }, { type: 'incident.dismissed', reason: 'The spreadsheet held staff schedules only' });
    expect(phaseOf(s)).toBe('closed');
    expect(s.context.closure).toEqual({ outcome: 'not_reportable', reason: 'The spreadsheet held staff schedules only' });
    expect(s.context.decision?.outcome).toBe('not_phi');
    expect(acceptedEvents(s)).toEqual(['incident.reopened']);
  });

  it('containment: completing needs every item done or not applicable', () => {
    let s = run(start(), { type: 'incident.accepted' });
    expect(phaseOf(s)).toBe('containment');
    s = run(s, { type: 'containment.itemResolved', item: 'stop_exposure', status: 'done' }, { type: 'containment.itemResolved', item: 'engage_forensics', status: 'not_applicable', note: 'No electronic systems involved' });
    const refused = refusal(s, { type: 'containment.completed' });
    expect(refused.can).toBe(false);
    expect(refused.check).toEqual({ kind: 'refused', reason: expect.stringMatching(/^3 containment items are still open \(Preserve evidence, Reset credentials, Call the insurer's breach hotline\)/) });
    s = run(s, ...['preserve_evidence', 'reset_credentials', 'call_insurer_hotline'].map((item) => ({ type: 'containment.itemResolved', item, status: 'done' }) as IncidentEvent), { type: 'containment.completed' });
    expect(phaseOf(s)).toBe('safeHarborCheck');
    expect(s.context.containment.engage_forensics).toEqual({ status: 'not_applicable', note: 'No electronic systems involved' });
  });

  it('safe harbor: encrypted with the key safe ends in not reportable, and the plan has no obligations left', () => {
    const s = run(start(), ...contained, { type: 'safeHarbor.assessed', encryption: { applied: true, keyCompromised: false, standard: 'NIST SP 800-111' } });
    expect(phaseOf(s)).toBe('notReportable');
    expect(s.context.decision).toMatchObject({ outcome: 'safe_harbor' });
    expect(s.context.plan.obligations).toEqual([]);
    expect(Object.values(s.context.tracking).map((t) => t.status)).toEqual(['withdrawn', 'withdrawn']);
    const closed = run(s, { type: 'incident.closed' });
    expect(closed.context.closure).toMatchObject({ outcome: 'not_reportable' });
  });

  it('safe harbor fails with the key on a sticky note: on to the risk assessment', () => {
    const s = run(start(), ...contained, { type: 'safeHarbor.assessed', encryption: { applied: true, keyCompromised: false, keyStoredWithDevice: true } });
    expect(phaseOf(s)).toBe('riskAssessment');
    expect(s.context.plan.determination).toBe('breach');
  });

  it.each([
    [{ applied: true, keyCompromised: false, standard: 'password-protected Excel file' }],
    [{ applied: true, keyCompromised: false, standard: 'FIPS 140-2', dataState: 'in_use' as const }],
  ])('safe harbor never from free text or data in use: %j goes on to the risk assessment', (encryption) => {
    const event = { type: 'safeHarbor.assessed', encryption } as const;
    expect(validateEvent(event).ok).toBe(true);
    const s = run(start(), ...contained, event);
    expect(phaseOf(s)).toBe('riskAssessment');
    expect(s.context.plan.determination).toBe('breach');
    expect(s.context.plan.determinationReason.why).toMatch(/^Encryption does not give safe harbor here/);
  });

  it('an exception ends in not reportable with its citation', () => {
    const s = run(start(), ...contained, unsecured, { type: 'assessment.exceptionApplied', exception: 'unable_to_retain', basis: 'Returned by USPS unopened' });
    expect(phaseOf(s)).toBe('notReportable');
    expect(s.context.decision).toMatchObject({ outcome: 'exception', citation: '45 CFR 164.402(1)(iii)' });
  });

  it('a low-probability conclusion needs evidence for all four factors', () => {
    const s = run(start(), ...contained, unsecured);
    const thin: IncidentEvent = { type: 'assessment.completed', lowProbability: true, factors: { ...factorsWith('log extract'), mitigation: { finding: 'attested', evidence: '' } } };
    expect(refusal(s, thin)).toEqual({ can: false, check: { kind: 'refused', reason: expect.stringMatching(/^all four factors need evidence before a low-probability conclusion .*missing: mitigation$/) } });
    const done = run(s, { type: 'assessment.completed', lowProbability: true, factors: factorsWith('signed attestation, fax logs') });
    expect(phaseOf(done)).toBe('notReportable');
    expect(done.context.decision?.outcome).toBe('low_probability');
  });

  it('a breach conclusion, or notifying without an assessment, goes to notification', () => {
    const concluded = run(start(), ...contained, unsecured, { type: 'assessment.completed', lowProbability: false, factors: factorsWith('') });
    expect(phaseOf(concluded)).toBe('notification');
    expect(concluded.context.decision?.outcome).toBe('notify');
    const skipped = run(start(), ...contained, unsecured, { type: 'assessment.skipped', reason: 'Notify without assessment' });
    expect(phaseOf(skipped)).toBe('notification');
  });

  it('notification: closing waits for every obligation, each sent with proof or waived with a reason', () => {
    let s = run(start(), ...contained, unsecured, { type: 'assessment.skipped', reason: 'Notify' });
    expect(refusal(s, { type: 'incident.closed' }).check).toEqual({ kind: 'refused', reason: expect.stringMatching(/^2 obligations are still open \(HIPAA\/individuals, HIPAA\/hhs\)/) });
    s = run(s, { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-20', method: 'first-class mail', count: 100 });
    expect(refusal(s, { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-21', method: 'mail' }).check).toEqual({
      kind: 'refused', reason: '"HIPAA/individuals" is not an open obligation of this incident; open: HIPAA/hhs',
    });
    expect(refusal(s, { type: 'notice.sent', key: 'HIPAA/hhs', sentOn: '2026-01-01', method: 'portal' }).check).toEqual({
      kind: 'invalid', errors: [{ path: 'sentOn', message: 'must not be before discovery (2026-03-02)' }],
    });
    s = run(s, { type: 'obligation.waived', key: 'HIPAA/hhs', reason: 'Filed with the annual log by the parent organization' }, { type: 'incident.closed' });
    expect(phaseOf(s)).toBe('closed');
    expect(s.context.closure?.outcome).toBe('notified');
    expect(trackedObligations(s.context).map((o) => [o.key, o.status, o.proof?.count])).toEqual([
      ['HIPAA/individuals', 'done', 100],
      ['HIPAA/hhs', 'waived', undefined],
    ]);
  });

  it('new facts re-plan, keep the work already done, and reopen the mailing for the individuals found since', () => {
    let s = run(start(), ...contained, unsecured, { type: 'assessment.skipped', reason: 'Notify' },
      { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-20', method: 'first-class mail', count: 100 });
    s = run(s, { type: 'facts.updated', reason: 'Forensics found more records', changes: { affected: { total: 700, byJurisdiction: { MN: 650, WI: 50 } } } });
    expect(s.context.plan.obligations.map((o) => o.key)).toEqual(['HIPAA/individuals', 'HIPAA/media/MN', 'HIPAA/hhs']);
    expect(s.context.tracking['HIPAA/individuals']).toMatchObject({
      status: 'open',
      earlier: [{ sentOn: '2026-03-20', method: 'first-class mail', count: 100 }],
      reason: expect.stringMatching(/^600 more individuals were identified after the notice of 2026-03-20/),
    });
    expect(s.context.tracking['HIPAA/media/MN'].status).toBe('open');
    const same = run(s, { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-04-02', method: 'first-class mail', count: 600 },
      { type: 'facts.updated', reason: 'Correct the state split', changes: { affected: { total: 700, byJurisdiction: { MN: 640, WI: 60 } } } });
    expect(same.context.tracking['HIPAA/individuals'].status).toBe('done');
    expect(s.context.plan.obligations.find((o) => o.key === 'HIPAA/hhs')?.track).toBe('with_individual_notice');
  });

  it('a later mailing is further proof on the same obligation: the first proof stays, once per batch, kept through a reopening', () => {
    let s = run(start(), ...contained, unsecured, { type: 'assessment.skipped', reason: 'Notify' },
      { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-20', method: 'first-class mail', count: 60 });
    const further: IncidentEvent = { type: 'notice.furtherMailing', key: 'HIPAA/individuals', sentOn: '2026-03-27', method: 'first-class mail (30 letters)', count: 30, batchId: 'b2' };
    expect(validateEvent(further).ok).toBe(true);
    expect(refusal(s, { ...further, key: 'HIPAA/hhs' }).check).toEqual({ kind: 'refused', reason: expect.stringMatching(/^"HIPAA\/hhs" is not a notice to individuals already recorded as sent.*recorded: HIPAA\/individuals$/) });
    s = run(s, further);
    expect(s.context.tracking['HIPAA/individuals']).toEqual({
      status: 'done', proof: { sentOn: '2026-03-20', method: 'first-class mail', count: 60 },
      furtherMailings: [{ sentOn: '2026-03-27', method: 'first-class mail (30 letters)', count: 30, batchId: 'b2' }],
    });
    expect(refusal(s, further)).toEqual({ can: false, check: { kind: 'refused', reason: 'the mailing of batch b2 is already recorded on "HIPAA/individuals"' } });
    // More people than counted reopen the mailing; the further mailings stay with the earlier proof.
    s = run(s, { type: 'facts.updated', reason: 'Forensics found more records', changes: { affected: { total: 150, byJurisdiction: { MN: 150 } } } },
      { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-04-02', method: 'first-class mail', count: 50 });
    expect(s.context.tracking['HIPAA/individuals']).toMatchObject({
      status: 'done', proof: { sentOn: '2026-04-02', count: 50 }, earlier: [{ sentOn: '2026-03-20', count: 60 }], furtherMailings: [{ batchId: 'b2', count: 30 }],
    });
  });

  it('refuses new facts that do not validate, naming the field', () => {
    const s = start();
    expect(refusal(s, { type: 'facts.updated', reason: 'typo', changes: { affected: { total: 5, byJurisdiction: { MN: 9 } } } })).toEqual({
      can: false,
      check: { kind: 'invalid', errors: [{ path: 'changes.affected.byJurisdiction', message: 'residents add up to 9, more than affected.total (5)' }] },
    });
  });

  it('a law-enforcement hold re-plans every clock; a follow-up extends it; lifting ends it', () => {
    let s = run(start(facts({ affected: { total: 800, byJurisdiction: { MN: 800 } } })), { type: 'incident.accepted' });
    s = run(s, { type: 'hold.placed', statement: 'oral', receivedOn: '2026-04-20', official: 'Det. K. Lund' });
    expect(s.matches({ active: { hold: 'held' } })).toBe(true);
    expect(s.context.plan.obligations.map((o) => o.dueOn)).toEqual(['2026-05-20', '2026-05-20', '2026-05-20']);
    s = run(s, { type: 'hold.followUp', receivedOn: '2026-05-01', delayUntil: '2026-07-01' });
    expect(s.context.plan.lawEnforcementHold?.endsOn).toBe('2026-07-01');
    s = run(s, { type: 'hold.lifted', liftedOn: '2026-06-01' });
    expect(s.matches({ active: { hold: 'none' } })).toBe(true);
    expect(s.context.plan.obligations.map((o) => o.dueOn)).toEqual(['2026-06-01', '2026-06-01', '2026-06-01']);
  });

  it('a written follow-up only follows an oral hold', () => {
    const s = run(start(), { type: 'incident.accepted' }, { type: 'hold.placed', statement: 'written', receivedOn: '2026-03-05', delayUntil: '2026-05-01' });
    expect(refusal(s, { type: 'hold.followUp', receivedOn: '2026-03-10', delayUntil: '2026-06-01' }).check).toMatchObject({ kind: 'refused' });
  });

  it('the insurance claim runs alongside: notice, claim, then settled, denied or withdrawn', () => {
    let s = run(start(), { type: 'incident.accepted' },
      { type: 'insurance.policyRecorded', carrier: 'Example Mutual', policyNumber: 'CY-1', noticeWindowDays: 3 });
    expect(trackedObligations(s.context).find((o) => o.key === 'POLICY/insurer')).toMatchObject({ dueOn: '2026-03-05', status: 'open', regime: 'POLICY' });
    s = run(s, { type: 'insurance.noticeGiven', on: '2026-03-03', method: 'email to claims@' }, { type: 'insurance.claimFiled', on: '2026-03-10', claimNumber: 'CL-9' });
    expect(s.matches({ active: { insurance: 'claimFiled' } })).toBe(true);
    expect(trackedObligations(s.context).find((o) => o.key === 'POLICY/insurer')?.status).toBe('done');
    s = run(s, { type: 'insurance.settled', on: '2026-06-01', amount: 18000 });
    expect(s.matches({ active: { insurance: 'settled' } })).toBe(true);
  });

  it.each([
    ['denied', { type: 'insurance.denied', on: '2026-05-01', reason: 'war exclusion' }],
    ['withdrawn', { type: 'insurance.withdrawn', on: '2026-05-01', reason: 'below the retention' }],
  ] as const)('a claim can end %s, and a withdrawal can come before any claim', (end, event) => {
    const filed = run(start(), { type: 'incident.accepted' }, { type: 'insurance.noticeGiven', on: '2026-03-03', method: 'letter' }, { type: 'insurance.claimFiled', on: '2026-03-10', claimNumber: 'C-1' });
    expect(run(filed, event as IncidentEvent).matches({ active: { insurance: end } })).toBe(true);
    const early = run(start(), { type: 'incident.accepted' }, { type: 'insurance.noticeGiven', on: '2026-03-03', method: 'letter' });
    expect(run(early, { type: 'insurance.withdrawn', on: '2026-03-04', reason: 'no claim' }).matches({ active: { insurance: 'withdrawn' } })).toBe(true);
    expect(early.can({ type: 'insurance.settled', on: '2026-03-04', amount: 1 })).toBe(false);
  });

  it('the insurer notice is not accepted before discovery', () => {
    const s = run(start(), { type: 'incident.accepted' });
    expect(refusal(s, { type: 'insurance.noticeGiven', on: '2026-03-01', method: 'letter' }).check).toEqual({ kind: 'invalid', errors: [{ path: 'on', message: 'must not be before discovery (2026-03-02)' }] });
  });

  it('reopening a closed incident with new facts resumes where the work stood, with new obligations open', () => {
    let s = run(start(), ...contained, unsecured, { type: 'assessment.skipped', reason: 'Notify' },
      { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-20', method: 'mail' },
      { type: 'notice.sent', key: 'HIPAA/hhs', sentOn: '2026-03-21', method: 'portal' },
      { type: 'insurance.noticeGiven', on: '2026-03-03', method: 'phone and letter' },
      { type: 'incident.closed' });
    s = run(s, { type: 'incident.reopened', reason: 'A second box of charts was found', changes: { affected: { total: 900, byJurisdiction: { MN: 900 } } } });
    expect(phaseOf(s)).toBe('notification');
    expect(s.matches({ active: { insurance: 'noticeGiven' } })).toBe(true);
    expect(s.context.reopenings).toBe(1);
    expect(openObligations(s.context).map((o) => o.key)).toEqual(['HIPAA/individuals', 'HIPAA/media/MN', 'HIPAA/hhs']);
    expect(s.context.tracking['HIPAA/hhs'].reason).toMatch(/file an addendum to the HHS report/);
  });

  it('stores as plain JSON and resumes in the same state', () => {
    const s = run(start(), ...contained, { type: 'hold.placed', statement: 'oral', receivedOn: '2026-03-05' });
    const stored = JSON.parse(JSON.stringify(toStored(s)));
    const back = fromStored(machine, stored);
    expect(back.value).toEqual(s.value);
    expect(back.context).toEqual(s.context);
    expect(phaseOf(step(machine, back, unsecured))).toBe('riskAssessment');
    expect(() => fromStored(machine, { ...stored, machineVersion: 99 })).toThrow(/machine version 99/);
    expect(() => fromStored(machine, { machineVersion: 1 })).toThrow(/shape/);
  });
});

describe('a plan made with another rule pack', () => {
  const older = { ...shippedPack, version: '2026.11.0' };
  const oldMachine = createIncidentMachine(older);
  /** Made by a server running the older pack, then loaded by one running the shipped pack. */
  const stale = (...events: IncidentEvent[]) => {
    const made = events.reduce((s, e) => step(oldMachine, s, e), startIncident(oldMachine, { reference: 'BF-2026-0002', summary: 'Laptop stolen from a car', facts: facts() }));
    return fromStored(machine, JSON.parse(JSON.stringify(toStored(made))));
  };
  const update: IncidentEvent = { type: 'facts.updated', changes: { affected: { total: 12 } }, reason: 'recount' };
  const reason = 'This incident was planned with rule pack 2026.11.0; the server now runs 2026.12.1. Review what changes and accept it first: GET/POST /api/incidents/BF-2026-0002/pack-change';

  it('refuses every re-planning event until the loaded pack is accepted, with the reason the engine gives', () => {
    const s = stale();
    expect(s.context.plan.rulePackVersion).toBe('2026.11.0');
    expect(refusal(s, update)).toEqual({ can: false, check: { kind: 'refused', path: 'rulePackVersion', reason } });
    const triaged = stale(...contained);
    expect(refusal(triaged, unsecured)).toEqual({ can: false, check: { kind: 'refused', path: 'rulePackVersion', reason } });
    expect(refusal(triaged, { type: 'hold.placed', statement: 'written', receivedOn: '2026-03-05', delayUntil: '2026-04-01' }).can).toBe(false);
    expect(acceptedEvents(s)).toContain('plan.packAccepted');
  });

  it('plan.packAccepted names the loaded version, re-plans with it, and the events flow again', () => {
    const s = stale();
    expect(refusal(s, { type: 'plan.packAccepted', rulePackVersion: '2026.11.5' })).toEqual({
      can: false, check: { kind: 'invalid', errors: [{ path: 'rulePackVersion', message: 'must name the pack this server runs (2026.12.1) to accept it' }] },
    });
    const accepted = run(s, { type: 'plan.packAccepted', rulePackVersion: shippedPack.version });
    expect(accepted.context.plan.rulePackVersion).toBe(shippedPack.version);
    expect(accepted.context.facts).toBe(s.context.facts);
    expect(acceptedEvents(accepted)).not.toContain('plan.packAccepted');
    expect(refusal(accepted, update)).toEqual({ can: true, check: null });
    expect(run(accepted, update).context.facts.affected.total).toBe(12);
  });

  it('records notices under the pack it was planned with, and a closed one accepts the pack before reopening', () => {
    const s = stale(...contained, unsecured, { type: 'assessment.skipped', reason: 'notify without an assessment' });
    expect(phaseOf(s)).toBe('notification');
    const sent = run(s, { type: 'notice.sent', key: 'HIPAA/individuals', sentOn: '2026-03-20', method: 'first-class mail' });
    expect(sent.context.tracking['HIPAA/individuals'].status).toBe('done');
    expect(sent.context.plan.rulePackVersion).toBe('2026.11.0');
    const closed = run(sent, { type: 'notice.sent', key: 'HIPAA/hhs', sentOn: '2026-03-21', method: 'portal' }, { type: 'incident.closed' });
    expect(phaseOf(closed)).toBe('closed');
    expect(refusal(closed, { type: 'incident.reopened', reason: 'more patients' })).toEqual({ can: false, check: { kind: 'refused', path: 'rulePackVersion', reason } });
    const reopened = run(closed, { type: 'plan.packAccepted', rulePackVersion: shippedPack.version }, { type: 'incident.reopened', reason: 'more patients' });
    expect(phaseOf(reopened)).toBe('notification');
  });
});
