import 'reflect-metadata';
import { startTestApp } from './test/support/test-app';
import { IncidentClient } from './test/support/incident-client';
(async () => {
  const t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
  console.log('started');
  const client = new IncidentClient(t.app);
  const inc = await client.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 15, byJurisdiction: { NY: 15 } } });
  console.log('reported');
  const res = await client.http().post(`/api/incidents/${inc.id}/roster?onInvalid=skip`).set('X-Actor', 'P').set('Content-Type', 'text/csv').send('name,state\nA B,NY\n');
  console.log(res.status, JSON.stringify(res.body));
  await t.close();
})().catch((e) => { console.error('ERR', e); process.exit(1); });
