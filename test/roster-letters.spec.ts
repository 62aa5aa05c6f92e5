import { parse } from 'csv-parse/sync';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LettersService } from '../src/letters/letters.service';
import { MailDispatcher } from '../src/reminders/mail-dispatcher.service';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { readPdf } from './support/pdf';
import { sqlAll, sqlCount } from './support/sqlite';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The roster and the letters end to end, over HTTP on the real app and a real SQLite file: upload a
 * roster with bad rows (rejected whole, then taken with the bad rows skipped), see the facts and the
 * plan follow, generate the batch, open its PDF with pdf.js, read the manifest, record returned mail,
 * mark the batch sent and see the proof and the sealed patient email; the SQLite file never holds a
 * patient's name in clear.
 */

const HEADER = 'name,state,address1,address2,city,postal_code,email,email_consent,status,representative_name,representative_role';
const GOOD = [
  'Zebulon Quackenbush,NY,12 Elm St,,Albany,12207,,,,,',
  'Philippa Vandersloot,NY,44 Oak Ave,Apt 3,Troy,12180,,,,,',
  'Ignatius Pemberton,NJ,9 Shore Rd,,Newark,07102,,,,,',
  'Marguerite Okonkwo-Liang,NY,7 Hill Ct,,Buffalo,14201,marguerite@mail.example,yes,,,',
  'Cornelius Abernathy,NY,3 Lake Dr,,Utica,13501,,,deceased,Beatrix Abernathy,next_of_kin',
  'Tobias Featherstonehaugh,NY,18 Pine St,,Ithaca,14850,,,minor,Rosalind Featherstonehaugh,parent',
  'Desdemona Wrigglesworth,NJ,,,,,,,,,',
  ...Array.from({ length: 10 }, (_, i) => `Person Number${String.fromCharCode(65 + i)}son,NY,${100 + i} Main St,,Rochester,14604,,,,,`),
];
const BAD = [
  'Bartholomew Grimsby,XX,1 Nowhere,,Nowhere,00000,,,,,',
  'Winifred Pocklington,NY,5 Rd,,Town,12345,,yes,,,',
];
const DUPLICATE = 'zebulon  quackenbush,NY,12 Elm St.,,Albany,12207,,,,,';
const ROSTER = [HEADER, ...GOOD.slice(0, 3), BAD[0], ...GOOD.slice(3), BAD[1], DUPLICATE].join('\n') + '\n';

const CONTENT = {
  whatHappened: 'On March 1 a laptop holding appointment lists was stolen from a staff member\'s car. It was not encrypted.',
  breachDates: { start: '2026-03-01' },
  phiTypes: ['name', 'address', 'date_of_birth', 'diagnosis'],
  stepsForIndividuals: 'Review the statements you receive from your health insurer, and tell us about any service you did not receive.',
  whatWeAreDoing: 'We reported the theft to the police, are encrypting every laptop, and retrained our staff.',
  typeOfBreach: ['theft'],
  locations: ['laptop'],
  safeguardsInPlace: ['privacy_rule'],
  actionsTaken: ['encryption', 'training'],
};

const SETTINGS = {
  practiceName: 'Lakeside Family Medicine',
  contact: {
    tollFreePhone: '1-800-555-0100', email: 'privacy@lakeside.example', website: 'https://lakeside.example/notice',
    postalAddress: { line1: '1 Harbor Way', city: 'Albany', state: 'NY', postalCode: '12207' },
    signatoryName: 'Pat Privacy', signatoryTitle: 'Privacy Officer', entityType: 'Healthcare Provider',
    contactPersonName: 'Pat Privacy', contactPersonPhone: '518-555-0100', contactPersonEmail: 'privacy@lakeside.example',
  },
};

function sqliteBytes(dir: string): Buffer {
  const data = join(dir, 'data');
  return Buffer.concat(readdirSync(data).filter((f) => f.startsWith('breachflow.sqlite')).map((f) => readFileSync(join(data, f))));
}

jest.setTimeout(30_000);

describe('roster, letters and proof of notice', () => {
  let t: TestApp;
  let client: IncidentClient;
  let id: string;

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    client = new IncidentClient(t.app, t.as('privacy_officer'));
    await client.http().put('/api/settings').set(t.as('admin')).send(SETTINGS).expect(200);
    const inc = await client.report({
      discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'NY' }, affected: { total: 15, byJurisdiction: { NY: 15 } },
    });
    id = inc.id;
    await client.walk(id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'not encrypted' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('police report') }]);
  }, 60_000);

  afterAll(() => t.close());

  const upload = (csv: string, query = '') => client.http().post(`/api/incidents/${id}/roster${query}`).set(t.as('privacy_officer')).set('Content-Type', 'text/csv').send(csv);

  it('rejects a roster with bad rows whole by default, naming row and column without echoing values', async () => {
    const res = await upload(ROSTER).expect(422);
    expect(res.body).toMatchObject({ status: 'rejected', rowsRead: 20, invalidRows: 2, imported: 0 });
    expect(res.body.errors).toEqual([
      { path: 'row 5, state', message: 'is not a state, DC or territory code (two letters, e.g. NY)' },
      { path: 'row 20, email_consent', message: 'is yes but there is no email address' },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/Grimsby|Pocklington/);
    expect(await sqlCount(t.config.databasePath, 'SELECT COUNT(*) AS n FROM roster_person')).toBe(0);
    const inc = (await client.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(inc.facts.affected).toEqual({ total: 15, byJurisdiction: { NY: 15 } });
  });

  it('refuses a file that is not a roster, and a wrong content type, changing nothing', async () => {
    const bad = await upload('patient,zip\nA,1\n').expect(422);
    expect(bad.body.errors).toEqual([
      { path: 'header, column 1', message: expect.stringMatching(/^is not a column breachflow knows/) },
      { path: 'header, column 2', message: expect.stringMatching(/^is not a column breachflow knows/) },
      { path: 'header', message: 'the column name is required' },
      { path: 'header', message: 'the column state is required' },
    ]);
    const broken = await upload(`${HEADER}\n"Unclosed,NY\n`).expect(422);
    expect(broken.body.errors[0].message).toMatch(/^not a readable CSV file/);
    const json = await client.http().post(`/api/incidents/${id}/roster`).set(t.as('privacy_officer')).send({ rows: [] }).expect(422);
    expect(json.body.errors[0].path).toBe('Content-Type');
    expect(await sqlCount(t.config.databasePath, 'SELECT COUNT(*) AS n FROM roster_person')).toBe(0);
  });

  it('imports the valid rows with onInvalid=skip, reports duplicates, and the facts and plan follow', async () => {
    const res = await upload(ROSTER, '?onInvalid=skip').expect(200);
    expect(res.body).toMatchObject({
      status: 'done', rowsRead: 20, invalidRows: 2, imported: 17,
      duplicates: { count: 1, rows: [{ row: 21, duplicateOf: 'row 2' }] },
      factsChanged: true,
      roster: {
        people: 17, byJurisdiction: { NJ: 2, NY: 15 }, insufficientContact: 1, deceasedUnreachable: 0, returnedMail: 0,
        byDelivery: { mail: 15, email: 1, none: 1 },
      },
    });
    const inc = (await client.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(inc.facts.affected).toEqual({ total: 17, byJurisdiction: { NJ: 2, NY: 15 }, insufficientContact: 1 });
    expect(inc.obligations.find((o: { audience: string }) => o.audience === 'substitute_notice')).toMatchObject({ form: 'alternative' });
    const trail = (await client.http().get(`/api/incidents/${id}/events`).expect(200)).body;
    expect(trail.map((e: { type: string }) => e.type).slice(-2)).toEqual(['facts.updated', 'roster.imported']);

    // Uploading the same people again adds no one.
    const again = await upload([HEADER, ...GOOD].join('\n')).expect(200);
    expect(again.body).toMatchObject({ imported: 0, duplicates: { count: 17 }, factsChanged: false });
  });

  it('keeps every patient name and email out of the SQLite file in clear', async () => {
    const bytes = sqliteBytes(t.dir).toString('latin1');
    for (const line of GOOD) {
      const name = line.split(',')[0];
      expect(bytes.includes(name)).toBe(false);
    }
    expect(bytes.includes('Quackenbush')).toBe(false);
    expect(bytes.includes('marguerite@mail.example')).toBe(false);
    expect(bytes.includes('12 Elm St')).toBe(false);
    // The rows are there, sealed.
    const [row] = await sqlAll<{ sealed: string }>(t.config.databasePath, 'SELECT sealed FROM roster_person LIMIT 1');
    expect(row.sealed).toMatch(/^v1\./);
    expect(statSync(join(t.dir, 'data', 'phi.key')).mode & 0o777).toBe(0o600);
  });

  it('will not generate letters while a required element is missing, and lists what is missing', async () => {
    const res = await client.http().post(`/api/incidents/${id}/letter-batches`).set(t.as('privacy_officer')).expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'noticeContent.whatHappened', 'noticeContent.breachDates', 'noticeContent.phiTypes', 'noticeContent.stepsForIndividuals', 'noticeContent.whatWeAreDoing',
    ]);
    expect(res.body.errors[0].message).toBe('missing: a brief description of what happened (45 CFR 164.404(c)(1)(A))');
    expect(await sqlCount(t.config.databasePath, 'SELECT COUNT(*) AS n FROM letter_batch')).toBe(0);
  });

  it('generates the batch: one PDF whose letters open with pdf.js, and a manifest for the print house', async () => {
    await client.http().put(`/api/incidents/${id}/notice-content`).set(t.as('privacy_officer')).send(CONTENT).expect(200);
    const created = await client.http().post(`/api/incidents/${id}/letter-batches`).set(t.as('privacy_officer')).expect(202);
    expect(created.body).toMatchObject({ status: 'running', total: 16 });
    await t.app.get(LettersService).settle();
    const batch = (await client.http().get(`/api/incidents/${id}/letter-batches/${created.body.id}`).expect(200)).body;
    expect(batch).toMatchObject({ status: 'done', total: 16, done: 16, letters: 15, emails: 1, files: ['letters-0001.pdf'] });

    const dir = join(t.config.lettersDir, batch.id);
    expect(statSync(join(dir, 'letters-0001.pdf')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'manifest.csv')).mode & 0o777).toBe(0o600);
    const pdf = await readPdf(join(dir, 'letters-0001.pdf'));
    expect(pdf.pages).toBe(batch.pages);
    expect(pdf.pages).toBeGreaterThanOrEqual(15);

    const manifest = parse(readFileSync(join(dir, 'manifest.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(manifest).toHaveLength(15);
    expect(new Set(manifest.map((r) => r.envelope))).toEqual(new Set(['#10 double window']));
    expect(manifest.map((r) => r.person)).toEqual(['1', '2', '3', '5', '6', ...Array.from({ length: 10 }, (_, i) => String(8 + i))]);
    const kin = manifest.find((r) => r.person === '5')!;
    expect(kin).toMatchObject({ letter: 'individual-next-of-kin', addressee: 'Beatrix Abernathy', address1: '3 Lake Dr', city: 'Utica', state: 'NY', postal_code: '13501' });
    const first = manifest[0];
    const page = pdf.text[Number(first.first_page) - 1];
    for (const expected of ['Zebulon Quackenbush', '12 Elm St', 'Albany, NY 12207', 'What happened', 'The breach happened on March 1, 2026.',
      'We discovered it on March 2, 2026.', 'What information was involved', 'What you can do', 'What we are doing', '1-800-555-0100']) {
      expect(page.replace(/\s+/g, ' ')).toContain(expected);
    }
    const kinText = pdf.text.slice(Number(kin.first_page) - 1, Number(kin.first_page) - 1 + Number(kin.pages)).join(' ').replace(/\s+/g, ' ');
    expect(kinText).toContain('as the next of kin of Cornelius Abernathy');

    const download = await client.http().get(`/api/incidents/${id}/letter-batches/${batch.id}/files/manifest.csv`).expect(200);
    expect(download.headers['cache-control']).toBe('no-store');
    await client.http().get(`/api/incidents/${id}/letter-batches/${batch.id}/files/..%2F..%2Fphi.key`).expect(404);
  });

  it('records returned mail: the insufficient-contact count and the substitute notice follow', async () => {
    const csv = ['person', ...Array.from({ length: 10 }, (_, i) => String(8 + i))].join('\n');
    const res = await client.http().post(`/api/incidents/${id}/roster/returned-mail?returnedOn=2026-03-09`).set(t.as('privacy_officer'))
      .set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(res.body).toMatchObject({ recorded: 10, factsChanged: true, roster: { insufficientContact: 11, returnedMail: 10 } });
    const inc = (await client.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(inc.facts.affected.insufficientContact).toBe(11);
    expect(inc.obligations.find((o: { audience: string }) => o.audience === 'substitute_notice')).toMatchObject({ form: 'web_or_media_with_toll_free' });
    const bad = await client.http().post(`/api/incidents/${id}/roster/returned-mail`).set(t.as('privacy_officer')).send({ returnedOn: '2026-03-09', people: [1, 999] }).expect(422);
    expect(bad.body.errors).toEqual([{ path: 'people[1]', message: "no person 999 on this incident's roster" }]);

    const substitute = await client.http().get(`/api/incidents/${id}/documents/substitute-notice`).expect(200);
    expect(substitute.text).toContain('until at least June 8, 2026 (90 days)');
    expect(substitute.text).toContain('FOR IMMEDIATE RELEASE');
  });

  it('marks the batch sent: proof on the individuals obligation, and the email goes out sealed', async () => {
    const [batch] = (await client.http().get(`/api/incidents/${id}/letter-batches`).expect(200)).body;
    const sent = await client.http().post(`/api/incidents/${id}/letter-batches/${batch.id}/sent`).set(t.as('privacy_officer')).send({ sentOn: '2026-03-10' }).expect(200);
    expect(sent.body.sentOn).toBe('2026-03-10');
    const inc = (await client.http().get(`/api/incidents/${id}`).expect(200)).body;
    const individuals = inc.obligations.find((o: { key: string }) => o.key === 'HIPAA/individuals');
    expect(individuals).toMatchObject({ status: 'done', proof: { sentOn: '2026-03-10', count: 16, method: 'first-class mail (15 letters) and email (1, to people who agreed to electronic notice)' } });
    await client.http().post(`/api/incidents/${id}/letter-batches/${batch.id}/sent`).set(t.as('privacy_officer')).send({ sentOn: '2026-03-10' }).expect(409);
    // Everyone reachable is in a sent batch now.
    const none = await client.http().post(`/api/incidents/${id}/letter-batches`).set(t.as('privacy_officer')).expect(422);
    expect(none.body.errors[0].message).toMatch(/^no one on the roster is waiting for a letter/);

    const [outbox] = await sqlAll<{ recipient: string; sealed: string }>(t.config.databasePath, `SELECT recipient, sealed FROM outbox WHERE idempotency_key LIKE 'notice/%'`);
    expect(outbox.recipient).toBe('(sealed)');
    await t.app.get(MailDispatcher).dispatchDue();
    const eml = readdirSync(t.config.outboxDir).map((f) => readFileSync(join(t.config.outboxDir, f), 'utf8')).find((m) => m.includes('marguerite@mail.example'));
    expect(eml).toBeDefined();
    expect(eml).toContain('Dear Marguerite Okonkwo-Liang');
    // From the practice, by its name and its address for questions (not the server's breachflow@localhost).
    expect(eml).toMatch(/^From: "?Lakeside Family Medicine"? <privacy@lakeside\.example>$/m);
    expect(sqliteBytes(t.dir).toString('latin1').includes('Okonkwo')).toBe(false);
  });

  it('refuses returned mail dated before the letter was mailed, naming the person, changing nothing', async () => {
    // Person 1 was in the batch marked sent on 2026-03-10: mail cannot come back on 2026-03-09.
    const bad = await client.http().post(`/api/incidents/${id}/roster/returned-mail`).set(t.as('privacy_officer')).send({ returnedOn: '2026-03-09', people: [1] }).expect(422);
    expect(bad.body.errors).toEqual([{ path: 'people[0]', message: 'person 1 was mailed on 2026-03-10; returnedOn (2026-03-09) is before the mailing' }]);
    const inc = (await client.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(inc.facts.affected.insufficientContact).toBe(11);
  });

  it('takes a wrongly listed person off the roster with a reason; people already notified stay', async () => {
    const sent = await client.http().post(`/api/incidents/${id}/roster/remove`).send({ people: [1], reason: 'listed by mistake' }).expect(422);
    expect(sent.body.errors).toEqual([{ path: 'people[0]', message: 'person 1 was notified on 2026-03-10; a sent notice stays on the roster as proof' }]);
    await client.http().post(`/api/incidents/${id}/roster/remove`).send({ people: [7] }).expect(422); // no reason
    const res = await client.http().post(`/api/incidents/${id}/roster/remove`).send({ people: [7], reason: 'not a patient of ours after all' }).expect(200);
    expect(res.body).toMatchObject({ removed: 1, factsChanged: true, roster: { people: 16, byJurisdiction: { NJ: 1, NY: 15 }, insufficientContact: 10 } });
    const inc = (await client.http().get(`/api/incidents/${id}`).expect(200)).body;
    expect(inc.facts.affected).toEqual({ total: 17, byJurisdiction: { NJ: 1, NY: 15 }, insufficientContact: 10 });
    const trail = (await client.http().get(`/api/incidents/${id}/events`).expect(200)).body;
    expect(trail.map((e: { type: string }) => e.type).slice(-2)).toEqual(['facts.updated', 'roster.peopleRemoved']);
  });

  it('renders the HHS report field for field, and the annual log for the year', async () => {
    const report = (await client.http().get(`/api/incidents/${id}/documents/hhs-report`).expect(200)).body;
    expect(report.general).toEqual({ reportType: 'Initial Breach Report', breachAffecting: 'Fewer Than 500 Individuals' });
    expect(report.breach).toMatchObject({
      breachStartDate: '2026-03-01', discoveryStartDate: '2026-03-02', approximateNumberOfIndividualsAffected: 17,
      typeOfBreach: ['Theft'], locationOfBreachedInformation: ['Laptop'],
    });
    expect(report.noticeOfBreachAndActionsTaken).toMatchObject({ individualNoticeStartDate: '2026-03-10', wasSubstituteNoticeRequired: 'Yes', wasMediaNoticeRequired: 'No' });
    expect(report.missing).toEqual([]);
    const page = await client.http().get(`/api/incidents/${id}/documents/hhs-report?format=html`).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Street address (line 1)');
    expect(page.text).not.toMatch(/coveredEntity|street1/);
    const pdf = await client.http().get(`/api/incidents/${id}/documents/hhs-report?format=pdf`).buffer(true)
      .parse((res, done) => { const parts: Buffer[] = []; res.on('data', (b: Buffer) => parts.push(b)); res.on('end', () => done(null, Buffer.concat(parts))); }).expect(200);
    writeFileSync(join(t.dir, 'hhs-report.pdf'), pdf.body as Buffer);
    expect((await readPdf(join(t.dir, 'hhs-report.pdf'))).text.join(' ')).toContain('Name of covered entity: Lakeside Family Medicine');
    const log = await client.http().get('/api/reports/hhs-annual-log?year=2026').expect(200);
    const rows = parse(log.text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ discovery_date: '2026-03-02', individuals: '17', hhs_due_on: '2027-03-01' });
    await client.http().get('/api/reports/hhs-annual-log?year=26').expect(422);
    const media = await client.http().get(`/api/incidents/${id}/documents/media-notice?jurisdiction=NY`).expect(422);
    expect(media.body.errors[0].message).toMatch(/^no media notice is required for NY: 15 residents affected/);
  });

  it('lets the practice override a template without touching code', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(t.config.templatesOverrideDir, 'letters', 'partials'), { recursive: true });
    writeFileSync(join(t.config.templatesOverrideDir, 'letters', 'partials', 'letterhead.hbs'), '# {{practiceName}}: A Caring Place\n');
    const letter = await client.http().get(`/api/incidents/${id}/documents/individual-notice?person=1`).expect(200);
    expect(letter.text.startsWith('# Lakeside Family Medicine: A Caring Place\n')).toBe(true);
    const pdf = await client.http().get(`/api/incidents/${id}/documents/individual-notice?format=pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('refuses a roster change on a closed incident, changing nothing', async () => {
    const other = await client.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 1, byJurisdiction: { NY: 1 } } });
    const closed = await client.walk(other.id, [...CONTAIN,
      { type: 'safeHarbor.assessed', encryption: { applied: true, keyCompromised: false, standard: 'NIST SP 800-111' } }, { type: 'incident.closed' }]);
    expect(closed.state.open).toBe(false);
    const res = await upload(`${HEADER}\n${GOOD[0]}\n`).set(t.as('privacy_officer')).expect(200); // the open incident still takes uploads
    expect(res.body.imported).toBe(0);
    const refused = await client.http().post(`/api/incidents/${other.id}/roster`).set(t.as('privacy_officer')).set('Content-Type', 'text/csv').send(`${HEADER}\n${GOOD[0]}\n`).expect(409);
    expect(refused.body.errors[0].message).toMatch(/closed; reopen it/);
    expect(await sqlCount(t.config.databasePath, `SELECT COUNT(*) AS n FROM roster_person WHERE incident_id = '${other.id}'`)).toBe(0);
  });
});
