import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { CONTAINMENT_ITEMS, RISK_FACTORS } from '../../src/domain/lifecycle/incident.types';

/** A small HTTP client for incident tests: every call goes through supertest to the real app. */
export class IncidentClient {
  constructor(private readonly app: INestApplication, private readonly auth: Record<string, string>) {}

  /** Requests as this client's user (its API token on every request). */
  http() {
    return request.agent(this.app.getHttpServer()).set(this.auth);
  }

  /** Requests with no credentials. */
  anon() {
    return request(this.app.getHttpServer());
  }

  async report(facts: unknown, summary = 'Office laptop stolen from a car'): Promise<{ id: string; version: number; [k: string]: unknown }> {
    const res = await this.http().post('/api/incidents').set(this.auth).send({ summary, facts }).expect(201);
    return res.body;
  }

  send(id: string, event: Record<string, unknown>, headers: Record<string, string> = {}) {
    const req = this.http().post(`/api/incidents/${id}/events`).set(this.auth);
    for (const [k, v] of Object.entries(headers)) req.set(k, v);
    return req.send(event);
  }

  /** Sends each event and expects 200 for each; returns the last answer. */
  async walk(id: string, events: Record<string, unknown>[]): Promise<Record<string, any>> {
    let body: Record<string, any> = {};
    for (const e of events) {
      const res = await this.send(id, e);
      if (res.status !== 200) throw new Error(`${String(e.type)} answered ${res.status}: ${JSON.stringify(res.body)}`);
      body = res.body;
    }
    return body;
  }
}

export const CONTAIN = [
  { type: 'triage.started' },
  { type: 'incident.accepted', note: 'PHI on the laptop: appointment lists' },
  ...CONTAINMENT_ITEMS.map((item) => ({ type: 'containment.itemResolved', item, status: 'done' })),
  { type: 'containment.completed' },
];

export const FACTORS = (evidence: string) =>
  Object.fromEntries(RISK_FACTORS.map((f) => [f, { finding: `finding on ${f}`, evidence }]));
