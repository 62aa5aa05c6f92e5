import { CONTAIN, FACTORS, IncidentClient } from './incident-client';
import { startTestApp, TestApp } from './test-app';

/** The set-up many HTTP suites share: the app at a fixed time, the practice's settings, and a privacy officer's client. */

export interface Practice {
  t: TestApp;
  /** The privacy officer's client (reports, events, uploads). */
  po: IncidentClient;
}

/** A practice's settings with everything a letter needs (name, toll-free number, email, website, postal address). */
export const PRACTICE_SETTINGS = {
  practiceName: 'Lakeside Family Medicine',
  contact: { tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', website: 'https://lakeside.example/notice', postalAddress: { line1: '1 Harbor Way', city: 'Albany', state: 'NY', postalCode: '12207' } },
};

/** The shortest letter text that covers what 164.404(c) asks for (PUT /api/incidents/:id/notice-content). */
export const LETTER_TEXT = {
  whatHappened: 'A laptop holding appointment lists was stolen.', breachDates: { start: '2026-03-01' }, phiTypes: ['name', 'diagnosis'],
  stepsForIndividuals: 'Review the statements you receive.', whatWeAreDoing: 'We encrypt laptops now.',
};

/** Starts the app at `now` and, when given, saves the practice settings as the admin does. */
export async function startPractice(now: Date, settings?: Record<string, unknown>): Promise<Practice> {
  const t = await startTestApp(now);
  const po = new IncidentClient(t.app, t.as('privacy_officer'));
  if (settings) await po.http().put('/api/settings').set(t.as('admin')).send(settings).expect(200);
  return { t, po };
}

/** Contains the incident, records the safe-harbor finding, and completes the assessment: notice is required. */
export function assessNoticeRequired(po: IncidentClient, id: string, safeHarborNote: string, evidence: string): Promise<Record<string, unknown>> {
  return po.walk(id, [...CONTAIN, { type: 'safeHarbor.assessed', note: safeHarborNote }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS(evidence) }]);
}

/**
 * The practice (PRACTICE_SETTINGS) on 2026-03-10 with one breach of `total` New York residents,
 * discovered 2026-03-02, assessed: notice is required.
 */
export async function startWithBreach(total: number): Promise<Practice & { id: string }> {
  const p = await startPractice(new Date('2026-03-10T15:00:00Z'), PRACTICE_SETTINGS);
  const id = (await p.po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total, byJurisdiction: { NY: total } } })).id;
  await assessNoticeRequired(p.po, id, 'not encrypted', 'police report');
  return { ...p, id };
}
