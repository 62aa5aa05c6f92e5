import { CONTAIN, FACTORS, IncidentClient } from './incident-client';
import { startTestApp, TestApp } from './test-app';

/** The set-up many HTTP suites share: the app at a fixed time, the practice's settings, and a privacy officer's client. */

export interface Practice {
  t: TestApp;
  /** The privacy officer's client (reports, events, uploads). */
  po: IncidentClient;
}

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
