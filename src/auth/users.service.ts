import { ConflictException, ForbiddenException, HttpException, HttpStatus, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { appendAccessEvent } from '../audit/access-log';
import { Clock, CLOCK } from '../clock/clock';
import { isEmail } from '../domain/reminders/reminder-settings';
import { Checker } from '../domain/validation';
import { execute } from '../persistence/sql';
import { TransactionRunner } from '../persistence/transaction-runner';
import { Actor, Role, ROLES } from './actor';
import { LoginLimiter } from './login-limiter';
import { passwordProblem } from './password-policy';
import { hashPassword, MIN_PASSWORD, newSecret, secretHash, verifyPassword } from './passwords';

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

interface UserRow { id: string; email: string; name: string; role: Role; password_hash: string; disabled: number; created_at: string }

const SESSION_HOURS = 12;
/** A session unused this long ends (besides the 12-hour cap). */
export const IDLE_MINUTES = 30;
/** An API token lasts this long unless made with expiresInDays (1 to 365). */
const TOKEN_DAYS = 90;

export interface TokenView { id: string; label: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revoked: boolean }

export function actorOf(u: Pick<User, 'id' | 'name' | 'email' | 'role'>, via: Actor['via']): Actor {
  return { id: `${u.name} <${u.email}>`, userId: u.id, role: u.role, via };
}

function view(r: UserRow): User {
  return { id: r.id, email: r.email, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at };
}

/** Users, their sessions and API tokens. Secrets are stored only as SHA-256; passwords as scrypt. */
@Injectable()
export class UsersService {
  private readonly limiter = new LoginLimiter();
  /** A hash to check a password against when the account does not exist, so the answer takes as long. */
  private readonly dummyHash = hashPassword(newSecret('dummy'));

  constructor(private readonly runner: TransactionRunner, @Inject(CLOCK) private readonly clock: Clock) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  async count(): Promise<number> {
    const [{ n }]: { n: number }[] = await this.runner.read((m) => m.query('SELECT COUNT(*) AS "n" FROM "user"'));
    return n;
  }

  async list(): Promise<User[]> {
    const rows: UserRow[] = await this.runner.read((m) => m.query('SELECT * FROM "user" ORDER BY "created_at"'));
    return rows.map(view);
  }

  /** Validates a new user; every bad field named. */
  static check(body: unknown): { email: string; name: string; role: Role; password: string } {
    const c = new Checker();
    const o = c.object(body, '', ['email', 'name', 'role', 'password', '_csrf']);
    const email = o && (isEmail(o.email) ? (o.email as string) : c.fail('email', 'must be an email address'));
    const name = o && c.string(o.name, 'name');
    if (name && name.length > 100) c.fail('name', 'is too long (100 characters at most)');
    const role = o && c.oneOf(o.role, 'role', ROLES);
    const problem = o && (typeof o.password === 'string' ? passwordProblem(o.password, typeof o.email === 'string' ? o.email : undefined) : `must be ${MIN_PASSWORD} to 200 characters`);
    const password = o && (problem ? c.fail('password', problem) : (o.password as string));
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return { email: email!.toLowerCase(), name: name!.trim(), role: role!, password: password! };
  }

  async create(body: unknown, by?: Actor): Promise<User> {
    const input = UsersService.check(body);
    const hash = await hashPassword(input.password);
    return this.runner.transaction(async (m) => {
      const user = await this.insert(m, input, hash);
      await appendAccessEvent(m, { type: 'user.created', actor: by?.id ?? 'breachflow (command line or setup)', at: this.now(), subject: user.id, detail: { role: user.role } });
      return user;
    });
  }

  private async insert(m: EntityManager, input: { email: string; name: string; role: Role }, hash: string): Promise<User> {
    const [taken]: unknown[] = await m.query('SELECT 1 FROM "user" WHERE "email" = ?', [input.email]);
    if (taken) throw new ConflictException({ errors: [{ path: 'email', message: 'a user with this email exists already' }] });
    const row: UserRow = { id: randomUUID(), email: input.email, name: input.name, role: input.role, password_hash: hash, disabled: 0, created_at: this.now() };
    await m.query('INSERT INTO "user" ("id", "email", "name", "role", "password_hash", "disabled", "created_at") VALUES (?, ?, ?, ?, ?, 0, ?)',
      [row.id, row.email, row.name, row.role, row.password_hash, row.created_at]);
    return view(row);
  }

  async setDisabled(id: string, disabled: boolean, by?: Actor): Promise<User> {
    return this.runner.transaction(async (m) => {
      const [row]: UserRow[] = await m.query('SELECT * FROM "user" WHERE "id" = ?', [id]);
      if (!row) throw new NotFoundException({ errors: [{ path: 'id', message: 'no such user' }] });
      await m.query('UPDATE "user" SET "disabled" = ? WHERE "id" = ?', [disabled ? 1 : 0, id]);
      if (disabled) {
        await m.query('DELETE FROM "session" WHERE "user_id" = ?', [id]);
        await m.query('UPDATE "api_token" SET "revoked" = 1, "revoked_by" = ?, "revoked_at" = ? WHERE "user_id" = ? AND "revoked" = 0', [by?.id ?? 'breachflow', this.now(), id]);
        await appendAccessEvent(m, { type: 'user.disabled', actor: by?.id ?? 'breachflow', at: this.now(), subject: id });
      }
      return view({ ...row, disabled: disabled ? 1 : 0 });
    });
  }

  /** Password login, rate-limited per client address and account. */
  async login(emailText: unknown, password: unknown, client: string): Promise<{ token: string; csrf: string; user: User }> {
    const email = typeof emailText === 'string' ? emailText.trim().toLowerCase().slice(0, 320) : '';
    const now = this.clock.now().getTime();
    // Counted before the password is checked: parallel guesses each take a place in the window.
    const turn = this.limiter.begin(client, email, now);
    if ('wait' in turn) {
      throw new HttpException({ errors: [{ path: 'email', message: `too many failed attempts; try again in ${turn.wait} minute${turn.wait === 1 ? '' : 's'}` }] }, HttpStatus.TOO_MANY_REQUESTS);
    }
    const [row]: UserRow[] = await this.runner.read((m) => m.query('SELECT * FROM "user" WHERE "email" = ?', [email]));
    // scrypt runs whether or not the account exists, so the time taken does not tell.
    const checked = await verifyPassword(typeof password === 'string' ? password.slice(0, 200) : '', row?.password_hash ?? (await this.dummyHash));
    const ok = Boolean(row) && row.disabled === 0 && typeof password === 'string' && checked;
    if (!ok) {
      await this.runner.transaction((m) => appendAccessEvent(m, { type: 'login.failed', actor: row ? actorOf(row, 'session').id : '(no such account)', at: this.now(), subject: row?.id ?? null, detail: { client } }));
      throw new HttpException({ errors: [{ path: 'email', message: 'wrong email or password' }] }, HttpStatus.UNAUTHORIZED);
    }
    this.limiter.succeeded(turn.ticket);
    const token = newSecret('bfs');
    const csrf = randomBytes(24).toString('base64url');
    const expires = new Date(now + SESSION_HOURS * 3600_000).toISOString();
    await this.runner.transaction(async (m) => {
      await m.query('DELETE FROM "session" WHERE "expires_at" <= ?', [this.now()]);
      await m.query('INSERT INTO "session" ("token_hash", "user_id", "csrf", "created_at", "expires_at", "last_seen_at") VALUES (?, ?, ?, ?, ?, ?)',
        [secretHash(token), row.id, csrf, this.now(), expires, this.now()]);
      await appendAccessEvent(m, { type: 'login.succeeded', actor: actorOf(row, 'session').id, at: this.now(), subject: row.id, detail: { client } });
    });
    return { token, csrf, user: view(row) };
  }

  async session(token: string): Promise<{ user: User; csrf: string } | null> {
    const hash = secretHash(token);
    const [row]: (UserRow & { csrf: string; expires_at: string; last_seen_at: string | null })[] = await this.runner.read((m) => m.query(
      `SELECT u.*, s."csrf", s."expires_at", s."last_seen_at" FROM "session" s JOIN "user" u ON u."id" = s."user_id" WHERE s."token_hash" = ?`, [hash]));
    if (!row || row.disabled || row.expires_at <= this.now()) return null;
    const now = this.clock.now().getTime();
    const seen = row.last_seen_at ? Date.parse(row.last_seen_at) : now;
    if (now - seen >= IDLE_MINUTES * 60_000) return null;
    if (now - seen >= 60_000) await this.runner.transaction((m) => m.query('UPDATE "session" SET "last_seen_at" = ? WHERE "token_hash" = ?', [this.now(), hash]));
    return { user: view(row), csrf: row.csrf };
  }

  /**
   * A user changes their own password: the current one first, the new one by the policy; audited.
   * Every other session of theirs ends (someone who learnt the old password is logged out); the
   * session that made the change, if it was one, goes on.
   */
  async changePassword(actor: Actor, body: unknown, keepSession?: string): Promise<{ changed: true }> {
    const c = new Checker();
    const o = c.object(body, '', ['currentPassword', 'newPassword', '_csrf']);
    const current = o && c.string(o.currentPassword, 'currentPassword');
    const [row]: UserRow[] = actor.userId ? await this.runner.read((m) => m.query('SELECT * FROM "user" WHERE "id" = ?', [actor.userId])) : [];
    const problem = o && (typeof o.newPassword === 'string' ? passwordProblem(o.newPassword, row?.email) : `must be ${MIN_PASSWORD} to 200 characters`);
    if (problem) c.fail('newPassword', problem);
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    if (!row || !(await verifyPassword(current!.slice(0, 200), row.password_hash))) {
      throw new HttpException({ errors: [{ path: 'currentPassword', message: 'is not your current password' }] }, HttpStatus.FORBIDDEN);
    }
    const hash = await hashPassword(o!.newPassword as string);
    await this.runner.transaction(async (m) => {
      await m.query('UPDATE "user" SET "password_hash" = ? WHERE "id" = ?', [hash, row.id]);
      const ended = await execute(m, 'DELETE FROM "session" WHERE "user_id" = $1 AND "token_hash" <> $2', [row.id, keepSession ? secretHash(keepSession) : '']);
      await appendAccessEvent(m, { type: 'password.changed', actor: actor.id, at: this.now(), subject: row.id, detail: { otherSessionsEnded: ended } });
    });
    return { changed: true };
  }

  async logout(token: string): Promise<void> {
    await this.runner.transaction((m) => m.query('DELETE FROM "session" WHERE "token_hash" = ?', [secretHash(token)]));
  }

  /**
   * A new API token for the user themself (the routes pass the caller's own id: nobody mints a token
   * for someone else). The secret is returned once and stored only as its hash; audited with who made it.
   */
  async createToken(userId: string, label: unknown, expiresInDays?: unknown, by?: Actor): Promise<{ id: string; token: string; label: string; expiresAt: string }> {
    const c = new Checker();
    const text = c.string(label, 'label');
    if (text && text.length > 100) c.fail('label', 'is too long (100 characters at most)');
    const days = expiresInDays === undefined ? TOKEN_DAYS : c.integer(expiresInDays, 'expiresInDays', 1);
    if (days !== undefined && days > 365) c.fail('expiresInDays', 'must be a whole number of days from 1 to 365');
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    if (by?.userId && by.userId !== userId) throw new ForbiddenException({ errors: [{ path: 'id', message: 'an API token is made by its owner only; an administrator may revoke it' }] });
    const token = newSecret('bft');
    const id = randomUUID();
    const expiresAt = new Date(this.clock.now().getTime() + days! * 86_400_000).toISOString();
    await this.runner.transaction(async (m) => {
      const [user]: unknown[] = await m.query('SELECT 1 FROM "user" WHERE "id" = ? AND "disabled" = 0', [userId]);
      if (!user) throw new NotFoundException({ errors: [{ path: 'id', message: 'no such active user' }] });
      const maker = by?.id ?? 'breachflow';
      await m.query('INSERT INTO "api_token" ("id", "token_hash", "user_id", "label", "created_at", "expires_at", "created_by") VALUES (?, ?, ?, ?, ?, ?, ?)',
        [id, secretHash(token), userId, text, this.now(), expiresAt, maker]);
      await appendAccessEvent(m, { type: 'token.created', actor: maker, at: this.now(), subject: id, detail: { userId, label: text, expiresAt } });
    });
    return { id, token, label: text!, expiresAt };
  }

  /** A user's own tokens (never their secrets). */
  async tokens(userId: string): Promise<TokenView[]> {
    const rows: { id: string; label: string; created_at: string; expires_at: string | null; last_used_at: string | null; revoked: number }[] = await this.runner.read((m) => m.query(
      'SELECT "id", "label", "created_at", "expires_at", "last_used_at", "revoked" FROM "api_token" WHERE "user_id" = ? ORDER BY "created_at"', [userId]));
    return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revoked: r.revoked === 1 }));
  }

  /** Revokes a token: its owner, or an administrator for anyone's. Audited with who did it. */
  async revokeToken(userId: string, tokenId: string, by: Actor): Promise<TokenView> {
    if (by.role !== 'admin' && by.userId !== userId) throw new ForbiddenException({ errors: [{ path: 'id', message: "only the token's owner or an administrator may revoke it" }] });
    await this.runner.transaction(async (m) => {
      const [row]: { revoked: number }[] = await m.query('SELECT "revoked" FROM "api_token" WHERE "id" = ? AND "user_id" = ?', [tokenId, userId]);
      if (!row) throw new NotFoundException({ errors: [{ path: 'tokenId', message: 'no such token for this user' }] });
      if (row.revoked) return;
      await m.query('UPDATE "api_token" SET "revoked" = 1, "revoked_by" = ?, "revoked_at" = ? WHERE "id" = ?', [by.id, this.now(), tokenId]);
      await appendAccessEvent(m, { type: 'token.revoked', actor: by.id, at: this.now(), subject: tokenId, detail: { userId } });
    });
    return (await this.tokens(userId)).find((t) => t.id === tokenId)!;
  }

  async tokenUser(token: string): Promise<User | null> {
    const hash = secretHash(token);
    const [row]: (UserRow & { token_id: string; last_used_at: string | null })[] = await this.runner.read((m) => m.query(
      `SELECT u.*, t."id" AS "token_id", t."last_used_at" FROM "api_token" t JOIN "user" u ON u."id" = t."user_id"
       WHERE t."token_hash" = ? AND t."revoked" = 0 AND u."disabled" = 0 AND (t."expires_at" IS NULL OR t."expires_at" > ?)`, [hash, this.now()]));
    if (!row) return null;
    // Kept to the minute: a write per request would be a write per request.
    const now = this.clock.now();
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= 60_000) {
      await this.runner.transaction((m) => m.query('UPDATE "api_token" SET "last_used_at" = ? WHERE "id" = ?', [now.toISOString(), row.token_id]));
    }
    return view(row);
  }

  /** With no users yet, a one-time setup link secret (a new one replaces the last); null once users exist. */
  async setupSecret(): Promise<string | null> {
    return this.runner.transaction(async (m) => {
      const [{ n }]: { n: number }[] = await m.query('SELECT COUNT(*) AS "n" FROM "user"');
      if (n) return null;
      const secret = newSecret('setup');
      await m.query(`INSERT INTO "setup_token" ("id", "token_hash", "created_at") VALUES (1, ?, ?)
        ON CONFLICT ("id") DO UPDATE SET "token_hash" = excluded."token_hash", "created_at" = excluded."created_at"`, [secretHash(secret), this.now()]);
      return secret;
    });
  }

  async setupValid(secret: unknown): Promise<boolean> {
    if (typeof secret !== 'string') return false;
    const [row]: unknown[] = await this.runner.read((m) => m.query('SELECT 1 FROM "setup_token" WHERE "token_hash" = ?', [secretHash(secret)]));
    return Boolean(row);
  }

  /** Creates the first admin with the setup link's secret; the link is then spent. */
  async completeSetup(secret: unknown, body: unknown): Promise<User> {
    const input = UsersService.check({ ...(body as object), role: 'admin' });
    const hash = await hashPassword(input.password);
    return this.runner.transaction(async (m) => {
      const [row]: unknown[] = typeof secret === 'string' ? await m.query('SELECT 1 FROM "setup_token" WHERE "token_hash" = ?', [secretHash(secret)]) : [];
      const [{ n }]: { n: number }[] = await m.query('SELECT COUNT(*) AS "n" FROM "user"');
      if (!row || n) throw new HttpException({ errors: [{ path: 'token', message: 'this setup link is not valid (it was used, or replaced by a newer one)' }] }, HttpStatus.FORBIDDEN);
      const user = await this.insert(m, input, hash);
      await m.query('DELETE FROM "setup_token"');
      return user;
    });
  }
}
