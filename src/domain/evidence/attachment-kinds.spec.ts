import { ATTACHMENT_KINDS, EVIDENCE_NEEDS, EVIDENCE_STEP_EVENTS, evidenceFor } from './attachment-kinds';

describe('the evidence each step wants', () => {
  it('names encryption evidence and the certificate of destruction at the safe-harbor check, the statement at the hold', () => {
    expect(evidenceFor('safeHarbor.assessed', []).map((n) => [n.kind, n.attached])).toEqual([['encryption_evidence', false], ['destruction_certificate', false]]);
    expect(evidenceFor('hold.placed', ['law_enforcement_statement']).map((n) => [n.kind, n.attached])).toEqual([['law_enforcement_statement', true]]);
    expect(evidenceFor('hold.followUp', []).map((n) => n.kind)).toEqual(['law_enforcement_statement']);
    expect(evidenceFor('assessment.completed', ['invoice']).map((n) => [n.kind, n.attached])).toEqual([['forensic_report', false]]);
    expect(evidenceFor('insurance.costRecorded', ['invoice']).map((n) => [n.kind, n.attached])).toEqual([['invoice', true]]);
    expect(evidenceFor('triage.started', ATTACHMENT_KINDS)).toEqual([]);
  });

  it('gives every need a reason with its rule, and every step an event that exists on a form', () => {
    for (const n of EVIDENCE_NEEDS) {
      expect(n.why).toMatch(/45 CFR 164\.\d+|policy/);
      expect(EVIDENCE_STEP_EVENTS[n.step].length).toBeGreaterThan(0);
    }
  });
});
