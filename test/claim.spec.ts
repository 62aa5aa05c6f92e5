import request from 'supertest';
import { CONTAIN, IncidentClient } from './support/incident-client';
import { readPdf } from './support/pdf';
import { startPractice } from './support/practice';
import { TestApp } from './support/test-app';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The cyber claim over HTTP on the real app: a policy with a retention, an aggregate limit, a PR
 * sub-limit and consent for forensics; costs entered through the dispatch path (audited), one
 * over its sub-limit, one without the consent it needs; an invoice attached; the totals, the
 * warnings, the proof-of-loss deadline tracked like any other, and the claim package PDF.
 */

const POLICY = {
  type: 'insurance.policyRecorded', carrier: 'Example Mutual', policyNumber: 'CY-1001', noticeWindowDays: 3,
  periodStart: '2026-01-01', periodEnd: '2026-12-31', retention: 10000, aggregateLimit: 1000000,
  subLimits: { public_relations: 25000 }, consentRequired: ['forensics'], panelVendors: ['Panel Forensics LLC'], proofOfLossMonthsAfterPeriod: 6,
};

describe('the claim and its cost ledger', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;

  beforeAll(async () => {
    ({ t, po } = await startPractice(new Date('2026-03-10T15:00:00Z')));
    id = (await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 40, byJurisdiction: { NY: 40 } }, dataElements: ['name', 'medical'] })).id;
    await po.walk(id, CONTAIN);
  });
  afterAll(() => t.close());

  it('totals costs against the sub-limit, the consent rule and the retention, and warns', async () => {
    await po.walk(id, [POLICY]);
    const invoice = await request(t.app.getHttpServer()).post(`/api/incidents/${id}/attachments`).set(t.as('privacy_officer'))
      .set({ 'Content-Type': 'application/pdf', 'X-Attachment-Kind': 'invoice', 'X-Attachment-Description': 'PR invoice', 'X-File-Name': 'pr.pdf' })
      .send(Buffer.from('%PDF-1.4 invoice')).expect(201);
    await po.walk(id, [
      { type: 'insurance.costRecorded', on: '2026-03-04', vendor: 'Panel Forensics LLC', amount: 40000, part: 'forensics', consentOn: '2026-03-03' },
      { type: 'insurance.costRecorded', on: '2026-03-05', vendor: 'Press Partners', amount: 30000.5, part: 'public_relations', invoiceAttachmentId: invoice.body.id },
      { type: 'insurance.costRecorded', on: '2026-03-06', vendor: 'Other DFIR Inc', amount: 12000, part: 'forensics' },
    ]);
    const claim = (await po.http().get(`/api/incidents/${id}/claim`).expect(200)).body;
    expect(claim.costs.map((c: { id: string; amount: number }) => [c.id, c.amount])).toEqual([['C1', 4000000], ['C2', 3000050], ['C3', 1200000]]);
    // forensics: C1 40,000 (consented); C3 12,000 lacks consent -> at risk, left out.
    // PR: 30,000.50 against a 25,000 sub-limit -> 25,000 covered.
    // covered 65,000 - retention 10,000 = 55,000 claimable; borne = 82,000.50 - 55,000 = 27,000.50.
    expect(claim.summary).toMatchObject({ totalIncurred: 8200050, totalCovered: 6500000, retentionApplied: 1000000, claimable: 5500000, atRisk: 1200000, borneByPractice: 2700050 });
    const kinds = claim.summary.warnings.map((w: { kind: string; entryId?: string }) => `${w.kind}${w.entryId ? `:${w.entryId}` : ''}`);
    expect(kinds).toEqual(expect.arrayContaining(['consent_missing:C3', 'sub_limit_exhausted', 'invoice_missing:C1', 'invoice_missing:C3', 'non_panel_vendor:C2', 'non_panel_vendor:C3']));
    expect(claim.proofOfLossDue).toBe('2027-06-30');
  });

  it('records consent and withdrawals through audited events, and refuses an unknown cost', async () => {
    await po.walk(id, [{ type: 'insurance.costConsented', cost: 'C3', on: '2026-03-07' }]);
    let claim = (await po.http().get(`/api/incidents/${id}/claim`).expect(200)).body;
    const c3 = claim.summary.warnings.find((w: { entryId?: string; kind: string }) => w.entryId === 'C3' && w.kind.startsWith('consent'));
    expect(c3.kind).toBe('consent_after_cost');
    await po.walk(id, [{ type: 'insurance.costWithdrawn', cost: 'C3', reason: 'entered twice' }]);
    claim = (await po.http().get(`/api/incidents/${id}/claim`).expect(200)).body;
    expect(claim.summary.atRisk).toBe(0);
    const unknown = await po.send(id, { type: 'insurance.costConsented', cost: 'C9', on: '2026-03-07' });
    expect(unknown.status).toBe(409);
    expect(unknown.body.errors[0].message).toMatch(/no cost C9 in the ledger; it holds C1, C2, C3/);
    const bad = await po.send(id, { type: 'insurance.costRecorded', on: '2026-03-06', vendor: 'x', amount: 12.345, part: 'catering' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['amount', 'part']);
    const events = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body.map((e: { type: string }) => e.type);
    expect(events.filter((e: string) => e.startsWith('insurance.cost'))).toEqual(['insurance.costRecorded', 'insurance.costRecorded', 'insurance.costRecorded', 'insurance.costConsented', 'insurance.costWithdrawn']);
  });

  it('tracks the proof-of-loss deadline like any other obligation', async () => {
    const inc = (await po.http().get(`/api/incidents/${id}`).expect(200)).body;
    const pol = inc.obligations.find((o: { key: string }) => o.key === 'POLICY/proof-of-loss');
    // 2026-12-31 + 6 months = 2027-06-30.
    expect(pol).toMatchObject({ dueOn: '2027-06-30', status: 'open', citation: expect.stringMatching(/proof-of-loss condition \(CY-1001\)/) });
    await po.walk(id, [{ type: 'insurance.proofOfLossFiled', on: '2026-04-01' }]);
    const after = (await po.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(after.obligations.find((o: { key: string }) => o.key === 'POLICY/proof-of-loss').status).toBe('done');
  });

  it('prints the claim package with the totals and what is still missing', async () => {
    const res = await request(t.app.getHttpServer()).get(`/api/incidents/${id}/claim/package`).set(t.as('privacy_officer'))
      .buffer(true).parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); });
    expect(res.status).toBe(200);
    const path = join(mkdtempSync(join(tmpdir(), 'bf-claim-')), 'claim.pdf');
    writeFileSync(path, res.body as Buffer);
    const text = (await readPdf(path)).text.join('\n');
    expect(text).toMatch(/claim package for\s+Example\s+Mutual/);
    expect(text).toContain('$55,000.00');
    expect(text).toMatch(/Police or IC3 report: missing/);
    expect(text).toContain('2027-06-30');
  });

  it('refuses the package while the policy lacks its terms', async () => {
    const other = (await po.report({ discovery: { date: '2026-03-03' }, entity: { type: 'covered_entity' }, affected: { total: 3 } })).id;
    await po.walk(other, [...CONTAIN, { type: 'insurance.policyRecorded', carrier: 'Example Mutual', noticeWindowDays: 3 }]);
    const res = await po.http().get(`/api/incidents/${other}/claim/package`);
    expect(res.status).toBe(422);
    expect(res.body.errors[0].message).toMatch(/retention, aggregateLimit, periodStart and periodEnd/);
    expect((await po.http().get(`/api/incidents/${other}/claim`).expect(200)).body).toMatchObject({ summary: null, missingForSummary: ['retention', 'aggregateLimit', 'periodStart and periodEnd'] });
  });
});
