import request from 'supertest';
import { Role, ROLES } from '../src/auth/actor';
import { LettersService } from '../src/letters/letters.service';
import { UsersService } from '../src/auth/users.service';
import { CONTAIN, FACTORS, IncidentClient } from './support/incident-client';
import { startTestApp, TEST_PASSWORD, TEST_USERS, TestApp } from './support/test-app';

/**
 * Every API endpoint and every page, against every role and against no login: the allowed get
 * their success code, the others 401 (no login; a page sends them to the login page) or 403.
 * A final check fails when a route exists that this table does not list.
 */

type Who = Role | 'anonymous';
type Allowed = Role[] | 'public' | 'any';
interface Ctx { id: string; batchId: string; userId: string; throwaway: string; importId: string; attachmentId: string; n: number; tokenId: string; adminId: string }
interface RouteCase {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  allowed: Allowed;
  ok: number;
  /** The request's path (ids filled in), body and content type. */
  make?: (c: Ctx) => { url?: string; body?: unknown; csv?: string; file?: string; upload?: { headers: Record<string, string>; bytes: Buffer } };
  /** After the allowed request: keep what later cases need (a new batch's id). */
  after?: (c: Ctx, body: { id?: string; importId?: string }) => Promise<void> | void;
}

const ROSTER = 'name,state,address1,city,postal_code\nAda Lovelace,NY,1 Main St,Albany,12207\n';
const PO: Role[] = ['privacy_officer'];
const EVIDENCE = {
  headers: { 'Content-Type': 'application/pdf', 'X-Attachment-Kind': 'police_report', 'X-Attachment-Description': 'Police%20report', 'X-File-Name': 'police.pdf' },
  bytes: Buffer.from('%PDF-1.4 police report'),
};

const CASES: RouteCase[] = [
  { method: 'get', path: '/api/health', allowed: 'public', ok: 200 },
  { method: 'post', path: '/api/plan', allowed: 'public', ok: 200, make: () => ({ body: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 5 } } }) },
  { method: 'get', path: '/api/me', allowed: 'any', ok: 200 },
  { method: 'get', path: '/api/incidents', allowed: 'any', ok: 200 },
  { method: 'post', path: '/api/incidents', allowed: ['owner', 'privacy_officer'], ok: 201, make: () => ({ body: { summary: 'Misdirected fax', facts: { discovery: { date: '2026-03-05' }, entity: { type: 'covered_entity' }, affected: { total: 1 } } } }) },
  { method: 'get', path: '/api/incidents/:id', allowed: 'any', ok: 200 },
  { method: 'get', path: '/api/incidents/:id/events', allowed: 'any', ok: 200 },
  { method: 'post', path: '/api/incidents/:id/events', allowed: PO, ok: 200, make: () => ({ body: { type: 'incident.assigned', privacyOfficerEmail: 'po@clinic.test' } }) },
  { method: 'get', path: '/api/pack-changes', allowed: 'any', ok: 200 },
  { method: 'get', path: '/api/incidents/:id/pack-change', allowed: 'any', ok: 200 },
  // Made under the loaded pack, so nothing is pending: the privacy officer gets 409, the others 403.
  { method: 'post', path: '/api/incidents/:id/pack-change', allowed: PO, ok: 409, make: () => ({ body: { rulePackVersion: '2026.12.1' } }) },
  { method: 'get', path: '/api/audit/verify', allowed: 'any', ok: 200 },
  { method: 'get', path: '/api/audit/access', allowed: ['privacy_officer', 'admin', 'auditor'], ok: 200 },
  { method: 'get', path: '/api/audit/export.csv', allowed: ['privacy_officer', 'admin', 'auditor'], ok: 200 },
  { method: 'get', path: '/api/settings', allowed: 'any', ok: 200 },
  { method: 'put', path: '/api/settings', allowed: ['admin'], ok: 200, make: () => ({ body: { practiceName: 'Lakeside Family Medicine' } }) },
  { method: 'get', path: '/api/users', allowed: ['admin'], ok: 200 },
  { method: 'post', path: '/api/users', allowed: ['admin'], ok: 201, make: (c) => ({ body: { email: `new${c.n}@clinic.test`, name: 'New Person', role: 'auditor', password: TEST_PASSWORD } }) },
  { method: 'post', path: '/api/me/tokens', allowed: 'any', ok: 201, make: () => ({ body: { label: 'matrix' } }) },
  { method: 'get', path: '/api/me/tokens', allowed: 'any', ok: 200 },
  { method: 'post', path: '/api/me/password', allowed: 'any', ok: 200, make: () => ({ body: { currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD } }) },
  // Anyone's token may be revoked by an administrator (others: only their own).
  { method: 'post', path: '/api/users/:id/tokens/:tokenId/revoke', allowed: ['admin'], ok: 201, make: (c) => ({ url: `/api/users/${c.userId}/tokens/${c.tokenId}/revoke` }) },
  { method: 'post', path: '/api/users/:id/disable', allowed: ['admin'], ok: 201, make: (c) => ({ url: `/api/users/${c.throwaway}/disable` }) },
  { method: 'put', path: '/api/users/:id/roles', allowed: ['admin'], ok: 200, make: (c) => ({ url: `/api/users/${c.userId}/roles`, body: { roles: ['auditor'] } }) },
  // No event 99999: the roles that may redact get past the guard to the 404.
  { method: 'post', path: '/api/incidents/:id/redactions', allowed: ['privacy_officer', 'admin'], ok: 404, make: () => ({ body: { seq: 99999, field: 'note', why: 'phi_typed_in_error' } }) },
  { method: 'post', path: '/api/retention/purge', allowed: ['admin', 'privacy_officer'], ok: 200 },
  { method: 'get', path: '/api/incidents/:id/roster', allowed: 'any', ok: 200 },
  { method: 'post', path: '/api/incidents/:id/roster', allowed: PO, ok: 200, make: () => ({ csv: ROSTER }), after: (c, b) => { c.importId = b.importId!; } },
  { method: 'get', path: '/api/incidents/:id/roster/imports/:importId', allowed: 'any', ok: 200, make: (c) => ({ url: `/api/incidents/${c.id}/roster/imports/${c.importId}` }) },
  { method: 'post', path: '/api/incidents/:id/roster/returned-mail', allowed: PO, ok: 200, make: () => ({ body: { returnedOn: '2026-03-09', people: [1] } }) },
  { method: 'post', path: '/api/incidents/:id/roster/remove', allowed: PO, ok: 200, make: () => ({ body: { people: [1], reason: 'not affected after all' } }) },
  { method: 'get', path: '/api/incidents/:id/notice-content', allowed: 'any', ok: 200 },
  { method: 'put', path: '/api/incidents/:id/notice-content', allowed: PO, ok: 200, make: () => ({ body: CONTENT }) },
  { method: 'get', path: '/api/incidents/:id/documents/:name', allowed: ['privacy_officer', 'auditor'], ok: 200, make: (c) => ({ url: `/api/incidents/${c.id}/documents/hhs-report` }) },
  { method: 'get', path: '/api/reports/hhs-annual-log', allowed: 'any', ok: 200, make: () => ({ url: '/api/reports/hhs-annual-log?year=2026' }) },
  { method: 'get', path: '/api/incidents/:id/letter-batches', allowed: 'any', ok: 200 },
  { method: 'post', path: '/api/incidents/:id/letter-batches', allowed: PO, ok: 202, after: async (c, b) => { c.batchId = b.id!; await settle(); } },
  { method: 'get', path: '/api/incidents/:id/letter-batches/:batchId', allowed: 'any', ok: 200, make: (c) => ({ url: `/api/incidents/${c.id}/letter-batches/${c.batchId}` }) },
  { method: 'get', path: '/api/incidents/:id/letter-batches/:batchId/files/:name', allowed: ['privacy_officer', 'auditor'], ok: 200, make: (c) => ({ url: `/api/incidents/${c.id}/letter-batches/${c.batchId}/files/manifest.csv` }) },
  { method: 'post', path: '/api/incidents/:id/attachments', allowed: PO, ok: 201, make: () => ({ upload: EVIDENCE }), after: (c, b) => { c.attachmentId = b.id!; } },
  { method: 'get', path: '/api/incidents/:id/attachments', allowed: 'any', ok: 200 },
  { method: 'get', path: '/api/incidents/:id/attachments/:attachmentId/file', allowed: ['privacy_officer', 'auditor'], ok: 200, make: (c) => ({ url: `/api/incidents/${c.id}/attachments/${c.attachmentId}/file` }) },
  { method: 'get', path: '/api/incidents/:id/claim', allowed: 'any', ok: 200 },
  // No policy recorded on this incident: the roles that may read it get past the guard to the 422.
  { method: 'get', path: '/api/incidents/:id/claim/package', allowed: ['privacy_officer', 'auditor', 'owner'], ok: 422 },
  { method: 'get', path: '/api/incidents/:id/dossier', allowed: ['privacy_officer', 'auditor'], ok: 200 },
  { method: 'delete', path: '/api/incidents/:id/attachments/:attachmentId', allowed: PO, ok: 409, make: (c) => ({ url: `/api/incidents/${c.id}/attachments/${c.attachmentId}` }) },
  { method: 'post', path: '/api/incidents/:id/letter-batches/:batchId/sent', allowed: PO, ok: 200, make: (c) => ({ url: `/api/incidents/${c.id}/letter-batches/${c.batchId}/sent`, body: { sentOn: '2026-03-10' } }) },
  // Pages
  { method: 'get', path: '/', allowed: 'public', ok: 302 },
  { method: 'get', path: '/login', allowed: 'public', ok: 200 },
  { method: 'post', path: '/login', allowed: 'public', ok: 303, make: () => ({ body: { email: TEST_USERS.auditor.email, password: TEST_PASSWORD } }) },
  { method: 'get', path: '/setup', allowed: 'public', ok: 403, make: () => ({ url: '/setup?token=setup_not-a-valid-one' }) },
  { method: 'post', path: '/setup', allowed: 'public', ok: 403, make: () => ({ body: { token: 'setup_not-a-valid-one', name: 'X', email: 'x@clinic.test', password: TEST_PASSWORD } }) },
  { method: 'get', path: '/incidents', allowed: 'any', ok: 200 },
  { method: 'get', path: '/report', allowed: ['owner', 'privacy_officer'], ok: 200 },
  { method: 'post', path: '/report', allowed: ['owner', 'privacy_officer'], ok: 303, make: () => ({ body: { what: 'Paper chart left on a bus', foundOn: '2026-03-09', where: 'paper', count: '1', state: 'NY', encrypted: 'na' } }) },
  { method: 'get', path: '/incidents/:id', allowed: 'any', ok: 200 },
  { method: 'post', path: '/incidents/:id/events', allowed: PO, ok: 303, make: () => ({ body: { type: 'incident.assigned', privacyOfficerEmail: 'po@clinic.test' } }) },
  { method: 'get', path: '/incidents/:id/audit', allowed: 'any', ok: 200 },
  { method: 'get', path: '/audit', allowed: ['privacy_officer', 'admin', 'auditor'], ok: 200 },
  { method: 'get', path: '/incidents/:id/facts', allowed: 'any', ok: 200 },
  { method: 'post', path: '/incidents/:id/facts/discovery', allowed: PO, ok: 303, make: () => ({ body: { date: '2026-03-02', reason: 'Checked the alarm log' } }) },
  { method: 'post', path: '/incidents/:id/facts/counts', allowed: PO, ok: 303, make: () => ({ body: { 'affected.total': '3', 'affected.byJurisdiction': 'NY=3', reason: 'A third person found' } }) },
  { method: 'post', path: '/incidents/:id/notes', allowed: ['owner', 'privacy_officer'], ok: 303, make: () => ({ body: { note: 'Called the police again' } }) },
  { method: 'get', path: '/incidents/:id/notice', allowed: 'any', ok: 200 },
  { method: 'post', path: '/incidents/:id/notice', allowed: PO, ok: 303, make: () => ({ body: { field: 'whatHappened', value: 'A box of charts was lost on a bus.' } }) },
  { method: 'get', path: '/incidents/:id/roster', allowed: 'any', ok: 200 },
  { method: 'post', path: '/incidents/:id/roster/upload', allowed: PO, ok: 200, make: () => ({ file: 'name,state,address1,city,postal_code\nIda Web,NY,3 Main St,Albany,12207\nJon Web,NY,4 Main St,Albany,12207\n' }) },
  { method: 'get', path: '/incidents/:id/roster/imports/:importId', allowed: 'any', ok: 200, make: (c) => ({ url: `/incidents/${c.id}/roster/imports/${c.importId}` }) },
  { method: 'post', path: '/incidents/:id/roster/returned-mail', allowed: PO, ok: 303, make: () => ({ body: { returnedOn: '2026-03-10', people: '2' } }) },
  { method: 'post', path: '/incidents/:id/roster/returned-mail-file', allowed: PO, ok: 303, make: () => ({ body: { returnedOn: '2026-03-10' }, file: 'person\n2\n' }) },
  { method: 'post', path: '/incidents/:id/roster/remove', allowed: PO, ok: 303, make: () => ({ body: { people: '4', reason: 'Listed by mistake' } }) },
  { method: 'get', path: '/incidents/:id/letters', allowed: 'any', ok: 200 },
  { method: 'post', path: '/incidents/:id/letters', allowed: PO, ok: 303, after: async (c) => { await settle(); c.batchId = (await batches(c.id))[0].id; } },
  { method: 'get', path: '/incidents/:id/letters/:batchId/files/:name', allowed: ['privacy_officer', 'auditor'], ok: 200, make: (c) => ({ url: `/incidents/${c.id}/letters/${c.batchId}/files/manifest.csv` }) },
  { method: 'post', path: '/incidents/:id/letters/:batchId/sent', allowed: PO, ok: 303, make: (c) => ({ url: `/incidents/${c.id}/letters/${c.batchId}/sent`, body: { sentOn: '2026-03-10' } }) },
  { method: 'get', path: '/incidents/:id/documents', allowed: 'any', ok: 200 },
  { method: 'get', path: '/assets/progress.js', allowed: 'public', ok: 200 },
  { method: 'get', path: '/incidents/:id/documents/hhs-report', allowed: ['privacy_officer', 'auditor'], ok: 200 },
  { method: 'get', path: '/incidents/:id/documents/:name/pdf', allowed: ['privacy_officer', 'auditor'], ok: 200, make: (c) => ({ url: `/incidents/${c.id}/documents/individual-notice/pdf` }) },
  { method: 'get', path: '/reports/annual-log.csv', allowed: ['privacy_officer', 'auditor'], ok: 200, make: () => ({ url: '/reports/annual-log.csv?year=2026' }) },
  // Issue 15's pages. An owner passes the guard on the upload, then the service refuses (not their report): 403 like the others.
  { method: 'get', path: '/incidents/:id/evidence', allowed: 'any', ok: 200 },
  { method: 'post', path: '/incidents/:id/evidence', allowed: PO, ok: 303, make: () => ({ body: { kind: 'other', description: 'Matrix upload' }, file: 'evidence' }) },
  { method: 'get', path: '/incidents/:id/claim', allowed: 'any', ok: 200 },
  { method: 'post', path: '/incidents/:id/claim/events', allowed: PO, ok: 303, make: () => ({ body: { type: 'insurance.costRecorded', on: '2026-03-09', vendor: 'Matrix LLC', amount: '10', part: 'forensics' } }) },
  { method: 'get', path: '/help/dossier', allowed: 'public', ok: 200 },
  { method: 'get', path: '/admin/users', allowed: ['admin'], ok: 200 },
  { method: 'post', path: '/admin/users', allowed: ['admin'], ok: 303, make: (c) => ({ body: { name: 'Web Added', email: `web${c.n}@clinic.test`, role: 'owner', password: TEST_PASSWORD } }) },
  { method: 'post', path: '/admin/users/:id/roles', allowed: ['admin'], ok: 303, make: (c) => ({ url: `/admin/users/${c.userId}/roles`, body: { roles: 'auditor' } }) },
  // A token for oneself only: the admin's own id.
  { method: 'post', path: '/admin/users/:id/token', allowed: ['admin'], ok: 200, make: (c) => ({ url: `/admin/users/${c.adminId}/token`, body: { label: 'web' } }) },
  { method: 'get', path: '/admin/settings', allowed: ['admin'], ok: 200 },
  { method: 'post', path: '/admin/settings', allowed: ['admin'], ok: 303, make: () => ({ body: { practiceName: 'Lakeside', 'contact.tollFreePhone': '1-800-555-0100', 'contact.website': 'https://lakeside.example' } }) },
  // Last: it ends each session the cases above use.
  { method: 'post', path: '/logout', allowed: 'any', ok: 303 },
];

let settle: () => Promise<void>;
let batches: (id: string) => Promise<{ id: string }[]>;

const CONTENT = {
  whatHappened: 'A box of charts was lost.', breachDates: { start: '2026-03-01' }, phiTypes: ['name'], stepsForIndividuals: 'Watch your mail.', whatWeAreDoing: 'We changed how charts move.',
};

describe('access: every endpoint and page, every role, and no login', () => {
  let t: TestApp;
  const ctx: Ctx = { id: '', batchId: '', userId: '', throwaway: '', importId: '', attachmentId: '', n: 0, tokenId: '', adminId: '' };
  const sessions = {} as Record<Role, { cookie: string; csrf: string }>;

  beforeAll(async () => {
    t = await startTestApp(new Date('2026-03-10T15:00:00Z'));
    const po = new IncidentClient(t.app, t.as('privacy_officer'));
    await po.http().put('/api/settings').set(t.as('admin')).send({ practiceName: 'Lakeside', contact: { tollFreePhone: '1-800-555-0100', website: 'https://lakeside.example' } }).expect(200);
    const inc = await po.report({ discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity' }, affected: { total: 2, byJurisdiction: { NY: 2 } } });
    ctx.id = inc.id;
    await po.walk(inc.id, [...CONTAIN, { type: 'safeHarbor.assessed', note: 'paper' }, { type: 'assessment.completed', lowProbability: false, factors: FACTORS('x') }]);
    await po.http().put(`/api/incidents/${inc.id}/notice-content`).send(CONTENT).expect(200);
    await po.http().post(`/api/incidents/${inc.id}/roster`).set('Content-Type', 'text/csv').send(`${ROSTER}Grace Hopper,NY,2 Main St,Albany,12207\n`).expect(200);
    const batch = await po.http().post(`/api/incidents/${inc.id}/letter-batches`).expect(202);
    ctx.batchId = batch.body.id;
    await t.app.get(LettersService).settle();
    settle = () => t.app.get(LettersService).settle();
    batches = (id) => t.app.get(LettersService).batches(id);
    ctx.userId = (await t.app.get(UsersService).create({ email: 'spare@clinic.test', name: 'Spare', role: 'auditor', password: TEST_PASSWORD })).id;
    ctx.tokenId = (await t.app.get(UsersService).createToken(ctx.userId, 'spare')).id;
    ctx.adminId = t.userIds.admin;
    ctx.throwaway = (await t.app.get(UsersService).create({ email: 'leaving@clinic.test', name: 'Leaving', role: 'owner', password: TEST_PASSWORD })).id;
    for (const role of ROLES) {
      const login = await request(t.app.getHttpServer()).post('/login').type('form').send({ email: TEST_USERS[role].email, password: TEST_PASSWORD }).expect(303);
      const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
      const page = await request(t.app.getHttpServer()).get('/incidents').set('Cookie', cookie).expect(200);
      sessions[role] = { cookie, csrf: /name="_csrf" value="([^"]+)"/.exec(page.text)![1] };
    }
  }, 60_000);

  afterAll(() => t.close());

  const WHO: Who[] = ['anonymous', ...ROLES];

  for (const rc of CASES) {
    it(`${rc.method.toUpperCase()} ${rc.path}`, async () => {
      const page = !rc.path.startsWith('/api');
      const seen: Record<string, number> = {};
      const expected: Record<string, number> = {};
      for (const who of WHO) {
        ctx.n++;
        const made = rc.make?.(ctx) ?? {};
        const url = made.url ?? rc.path.replace(':id', ctx.id);
        let req = request(t.app.getHttpServer())[rc.method](url);
        if (who !== 'anonymous') {
          if (page) req = req.set('Cookie', sessions[who].cookie);
          else req = req.set(t.as(who));
        }
        if (made.file !== undefined) {
          // A page's upload form: its fields first (the CSRF token), then the file.
          for (const [k, v] of Object.entries({ ...(who !== 'anonymous' ? { _csrf: sessions[who].csrf } : {}), ...(made.body as object) })) req = req.field(k, String(v));
          req = req.attach('file', Buffer.from(made.file), 'upload.csv');
        } else if (made.upload !== undefined) req = req.set(made.upload.headers).send(made.upload.bytes);
        else if (made.csv !== undefined) req = req.set('Content-Type', 'text/csv').send(made.csv);
        else if (page && rc.method !== 'get') req = req.type('form').send({ ...(made.body as object), ...(who !== 'anonymous' ? { _csrf: sessions[who].csrf } : {}) });
        else if (made.body !== undefined) req = req.send(made.body as object);
        const res = await req;
        seen[who] = res.status;
        const allowed = rc.allowed === 'public' || (rc.allowed === 'any' ? who !== 'anonymous' : who !== 'anonymous' && rc.allowed.includes(who));
        if (allowed && rc.after && res.status === rc.ok) await rc.after(ctx, res.body);
        expected[who] = allowed ? rc.ok : who === 'anonymous' ? (page && rc.method === 'get' ? 303 : 401) : 403;
        if (!allowed && who === 'anonymous' && page && rc.method === 'get') expect(res.headers.location).toMatch(/^\/login\?next=/);
      }
      expect(seen).toEqual(expected);
    });
  }

  it('lists every route the server has', () => {
    const router = (t.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
    const routes = router.stack.filter((l) => l.route).flatMap((l) => Object.keys(l.route!.methods).filter((m) => m !== '_all').map((m) => `${m} ${l.route!.path}`));
    const listed = new Set(CASES.map((c) => `${c.method} ${c.path}`));
    expect(routes.length).toBeGreaterThanOrEqual(CASES.length);
    const missing = routes.filter((r) => !listed.has(r) && !r.includes('/api/docs'));
    expect(missing).toEqual([]);
  });

  it('a user holding two roles (owner and admin) may do what either may, and nothing else', async () => {
    const both = await t.app.get(UsersService).create({ email: 'both@clinic.test', name: 'Owen Both', roles: ['owner', 'admin'], password: TEST_PASSWORD });
    expect(both.roles).toEqual(['owner', 'admin']);
    const auth = { Authorization: `Bearer ${(await t.app.get(UsersService).createToken(both.id, 'both')).token}` };
    const http = () => request(t.app.getHttpServer());
    expect((await http().get('/api/me').set(auth).expect(200)).body).toMatchObject({ role: 'admin', roles: ['owner', 'admin'] });
    await http().get('/api/users').set(auth).expect(200); // admin
    await http().put('/api/settings').set(auth).send({ practiceName: 'Lakeside' }).expect(200); // admin
    await http().post('/api/incidents').set(auth).send({ summary: 'Misdirected fax', facts: { discovery: { date: '2026-03-05' }, entity: { type: 'covered_entity' }, affected: { total: 1 } } }).expect(201); // owner
    await http().post(`/api/incidents/${ctx.id}/events`).set(auth).send({ type: 'incident.assigned', privacyOfficerEmail: 'po@clinic.test' }).expect(403); // privacy officer only
    await http().get(`/api/incidents/${ctx.id}/dossier`).set(auth).expect(403); // privacy officer or auditor
    // In the browser too: the report form (owner) and the users page (admin).
    const login = await http().post('/login').type('form').send({ email: 'both@clinic.test', password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    await http().get('/report').set('Cookie', cookie).expect(200);
    expect((await http().get('/admin/users').set('Cookie', cookie).expect(200)).text).toContain('Practice owner, Administrator');
  });

  it('a browser form without the session\'s CSRF token is refused', async () => {
    const login = await request(t.app.getHttpServer()).post('/login').type('form').send({ email: TEST_USERS.privacy_officer.email, password: TEST_PASSWORD }).expect(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0].split(';')[0];
    const before = (await request(t.app.getHttpServer()).get(`/api/incidents/${ctx.id}`).set(t.as('auditor'))).body.version;
    const forged = await request(t.app.getHttpServer()).post(`/incidents/${ctx.id}/events`).set('Cookie', cookie)
      .type('form').send({ type: 'incident.assigned', privacyOfficerEmail: 'x@clinic.test', _csrf: 'forged' });
    expect(forged.status).toBe(403);
    const missing = await request(t.app.getHttpServer()).post(`/api/incidents/${ctx.id}/events`).set('Cookie', cookie).send({ type: 'incident.assigned', privacyOfficerEmail: null });
    expect(missing.status).toBe(403);
    expect((await request(t.app.getHttpServer()).get(`/api/incidents/${ctx.id}`).set(t.as('auditor'))).body.version).toBe(before);
  });

  it('every event in the audit trail names the user who caused it', async () => {
    const trail = (await request(t.app.getHttpServer()).get(`/api/incidents/${ctx.id}/events`).set(t.as('auditor')).expect(200)).body as { actor: string; type: string }[];
    expect(trail.filter((e) => e.type === 'incident.assigned').map((e) => e.actor)).toEqual(['Pat Privacy <privacy@clinic.test>', 'Pat Privacy <privacy@clinic.test>']);
    expect(trail.every((e) => /<[^>]+@[^>]+>$/.test(e.actor) || e.actor === 'breachflow')).toBe(true);
  });
});
