import { LettersService } from '../src/letters/letters.service';
import { IncidentClient } from './support/incident-client';
import { LETTER_TEXT, startWithBreach } from './support/practice';
import { TestApp } from './support/test-app';

/**
 * Issue 12, item 7: a later mailing is further proof on the same obligation. Over HTTP on the real
 * app and SQLite file: the first batch is marked sent (the obligation's proof), people turn up
 * later (within the estimate, so the obligation stays done), their batch is marked sent, and the
 * obligation shows both mailings (API and page), recorded once, through the audited dispatch path.
 */

const HEADER = 'name,state,address1,city,postal_code,email,email_consent\n';

interface Obligation { key: string; status: string; proof?: { sentOn: string; method: string; count: number }; furtherMailings?: { sentOn: string; method: string; count: number; batchId: string }[] }

describe('a later mailing is further proof on the same obligation', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  beforeAll(async () => {
    // An estimate of 10: the roster's people stay within it, so the first proof keeps the obligation done.
    ({ t, po, id } = await startWithBreach(10));
    await po.http().put(`/api/incidents/${id}/notice-content`).send(LETTER_TEXT).expect(200);
  }, 60_000);
  afterAll(() => t.close());

  const upload = (csv: string) => po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(`${HEADER}${csv}`).expect(200);
  const batch = async (): Promise<{ id: string }> => {
    const b = (await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body;
    await t.app.get(LettersService).settle();
    return b;
  };
  const individuals = async (): Promise<Obligation> =>
    ((await po.http().get(`/api/incidents/${id}`).expect(200)).body.obligations as Obligation[]).find((o) => o.key === 'HIPAA/individuals')!;

  it('first batch sent, people added, second batch sent: the obligation keeps its first proof and shows the further mailing', async () => {
    await upload('Ann Alpha,NY,1 Main St,Albany,12207,ann@mail.example,yes\nBob Beta,NY,2 Main St,Albany,12207,,\n');
    const first = await batch();
    await po.http().post(`/api/incidents/${id}/letter-batches/${first.id}/sent`).send({ sentOn: '2026-03-09' }).expect(200);
    expect(await individuals()).toMatchObject({ status: 'done', proof: { sentOn: '2026-03-09', count: 2 } });

    await upload('Cy Gamma,NY,3 Main St,Albany,12207,,\nDee Delta,NY,4 Main St,Albany,12207,,\n');
    const second = await batch();
    await po.http().post(`/api/incidents/${id}/letter-batches/${second.id}/sent`).send({ sentOn: '2026-03-10' }).expect(200);

    const o = await individuals();
    expect(o.status).toBe('done');
    expect(o.proof).toMatchObject({ sentOn: '2026-03-09', method: 'first-class mail (1 letters) and email (1, to people who agreed to electronic notice)', count: 2 });
    expect(o.furtherMailings).toEqual([{ sentOn: '2026-03-10', method: 'first-class mail (2 letters)', count: 2, batchId: second.id }]);

    // Audited as an event of the incident's trail, as the person who marked it sent.
    const trail = (await po.http().get(`/api/incidents/${id}/events`).expect(200)).body as { type: string; payload: Record<string, unknown>; actor: string }[];
    const further = trail.filter((e) => e.type === 'notice.furtherMailing');
    expect(further).toHaveLength(1);
    expect(further[0].payload).toMatchObject({ key: 'HIPAA/individuals', sentOn: '2026-03-10', count: 2, batchId: second.id });

    // The incident page's obligation list shows both.
    const page = await po.http().get(`/incidents/${id}`).expect(200);
    expect(page.text).toContain('on March 9, 2026 (2)');
    expect(page.text).toContain(`Further mailing: first-class mail (2 letters) on March 10, 2026 (2, letter batch ${second.id})`);
  });

  it('exactly once per batch: a retried "mark sent" and the same batch posted by hand are refused, nothing added', async () => {
    const [latest] = (await po.http().get(`/api/incidents/${id}/letter-batches`).expect(200)).body as { id: string; sentOn: string }[];
    expect(latest.sentOn).toBe('2026-03-10');
    await po.http().post(`/api/incidents/${id}/letter-batches/${latest.id}/sent`).send({ sentOn: '2026-03-10' }).expect(409);
    const again = await po.send(id, { type: 'notice.furtherMailing', key: 'HIPAA/individuals', sentOn: '2026-03-10', method: 'first-class mail (2 letters)', count: 2, batchId: latest.id });
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body.errors)).toContain(`the mailing of batch ${latest.id} is already recorded`);
    expect((await individuals()).furtherMailings).toHaveLength(1);
  });

  it('a further mailing names its fields when malformed, and goes only on a notice already recorded as sent', async () => {
    const bad = await po.send(id, { type: 'notice.furtherMailing', key: 'HIPAA/individuals', sentOn: '2026-03-10', method: 'mail', batchId: 'B9' });
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toBe('count');
    const open = await po.send(id, { type: 'notice.furtherMailing', key: 'HIPAA/hhs', sentOn: '2026-03-10', method: 'mail', count: 1, batchId: 'B9' });
    expect(open.status).toBe(409);
  });
});
