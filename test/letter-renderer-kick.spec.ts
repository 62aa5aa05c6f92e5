import { LetterRendererService } from '../src/letters/letter-renderer.service';
import { LettersService } from '../src/letters/letters.service';
import { holdFirstCall } from './support/hold';
import { IncidentClient } from './support/incident-client';
import { LETTER_TEXT, startWithBreach } from './support/practice';
import { TestApp } from './support/test-app';

/**
 * A batch created while the renderer's pass is already running is still rendered by that kick, and
 * `settle()` waits for it. The pass in flight read "nothing to claim" before the batch was
 * committed; a kick that only joined it (the old behaviour) left the batch running until the next
 * poll, and a "mark sent" right after settle() got 409 (seen once in CI on the read connection,
 * whose reads no longer wait behind the writer). Real app, real SQLite file; the running pass is
 * held open by wrapping the renderer's own pass, nothing else is replaced.
 */

const ROSTER = 'name,state,address1,city,postal_code\nAnn Alpha,NY,1 Main St,Albany,12207\nBob Beta,NY,2 Main St,Albany,12207\n';

describe('the letter renderer: a kick during a running pass', () => {
  let t: TestApp;
  let po: IncidentClient;
  let id: string;
  beforeAll(async () => {
    ({ t, po, id } = await startWithBreach(2));
    await po.http().put(`/api/incidents/${id}/notice-content`).send(LETTER_TEXT).expect(200);
    await po.http().post(`/api/incidents/${id}/roster`).set('Content-Type', 'text/csv').send(ROSTER).expect(200);
  }, 60_000);
  afterAll(() => t.close());

  it('asks for one more pass, so settle() returns with the batch generated and it can be marked sent', async () => {
    const renderer = t.app.get(LetterRendererService);
    // The first pass finds nothing (no batch yet), then stays open until released.
    const pass = holdFirstCall(renderer, 'pump');
    try {
      const running = renderer.kick();
      const batch = (await po.http().post(`/api/incidents/${id}/letter-batches`).expect(202)).body as { id: string };
      const settled = t.app.get(LettersService).settle();
      pass.release();
      await Promise.all([running, settled]);
      expect(pass.calls).toBeGreaterThanOrEqual(2);
      const b = (await po.http().get(`/api/incidents/${id}/letter-batches/${batch.id}`).expect(200)).body as { status: string; letters: number };
      expect(b).toMatchObject({ status: 'done', letters: 2 });
      await po.http().post(`/api/incidents/${id}/letter-batches/${batch.id}/sent`).send({ sentOn: '2026-03-09' }).expect(200);
    } finally {
      pass.restore();
    }
  });
});
