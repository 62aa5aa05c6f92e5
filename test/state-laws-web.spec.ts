import request from 'supertest';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * The report form over real HTTP: several states with a count each and the kinds of data in plain
 * words become the intake facts; the incident page lists each state's obligations with statute
 * and confidence, and the states with patients but no obligation, with why.
 */
describe('the report form and the incident page: state laws', () => {
  let t: TestApp;
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    const login = await request(t.app.getHttpServer()).post('/login').type('form').send({ email: TEST_USERS.owner.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const page = await request(t.app.getHttpServer()).get('/report').set('Cookie', cookie).expect(200);
    session = { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
  }, 60_000);

  afterAll(() => t.close());

  const post = (fields: [string, string][]) => request(t.app.getHttpServer()).post('/report').set('Cookie', session.cookie).type('form')
    .send([...fields, ['_csrf', session.csrf]].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const base: [string, string][] = [['what', 'A billing export was e-mailed to the wrong address'], ['foundOn', '2026-03-02'], ['where', 'email'], ['encrypted', 'no']];

  it('the form asks where they live (several states) and what was involved, in plain words', async () => {
    const page = await request(t.app.getHttpServer()).get('/report').set('Cookie', session.cookie).expect(200);
    expect(page.text).toContain('<legend>Where do they live?</legend>');
    expect(page.text).toContain('name="state2"');
    expect(page.text).toContain('Social Security numbers');
    expect(page.text).toContain('Insurance member or policy numbers');
  });

  it('New Jersey, Michigan and some "don\'t know": the page shows each state\'s duties and why the others have none', async () => {
    const res = await post([...base, ['count', '50'], ['state', 'NJ'], ['stateCount', '30'], ['state2', 'MI'], ['stateCount2', '12'], ['data', 'name'], ['data', 'ssn']]).expect(303);
    const page = await request(t.app.getHttpServer()).get(res.headers.location.replace(/\?created=1$/, '')).set('Cookie', session.cookie).expect(200);
    const section = page.text.slice(page.text.indexOf('aria-label="State laws"'));
    expect(section).toContain('New Jersey');
    expect(section).toContain('N.J. Stat. 56:8-163(a): <span class="verify">medium confidence: verify with counsel</span>');
    // The State Police before the residents: the day before HIPAA's 2026-05-01.
    expect(section).toMatch(/the New Jersey Division of State Police \(Department of Law &amp; Public Safety\): due April 30, 2026/);
    expect(section).toContain('States with patients but no state notice');
    expect(section).toMatch(/<strong>Michigan<\/strong> \(12 residents; Mich\. Comp\. Laws 445\.72\(1\), medium confidence: verify with counsel\): Michigan: notice to its residents given under HIPAA satisfies/);
    expect(page.text).toMatch(/The state of residence of 8 of 50 individuals is not known/);
  });

  it('a count without its state is refused naming the field, and no incident is made', async () => {
    const before = await request(t.app.getHttpServer()).get('/api/incidents').set(t.as('owner')).expect(200);
    const res = await post([...base, ['count', '10'], ['state', 'NJ'], ['stateCount', '5'], ['stateCount2', '5']]).expect(422);
    expect(res.text).toContain('Where they live, row 2: a count needs its state');
    const after = await request(t.app.getHttpServer()).get('/api/incidents').set(t.as('owner')).expect(200);
    expect(after.body).toEqual(before.body);
  });
});
