import { ConflictException, HttpException, HttpStatus, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock, CLOCK } from '../clock/clock';
import { isEmail } from '../domain/reminders/reminder-settings';
import { Checker } from '../domain/validation';
import { TransactionRunner } from '../persistence/transaction-runner';
import { Actor, Role, ROLES } from './actor';
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
/** Failed logins allowed per address and account in the window, then 429 until it passes. */
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;

export function actorOf(u: Pick<User, 'id' | 'name' | 'email' | 'role'>, via: Actor['via']): Actor {
  return { id: `${u.name} <${u.email}>`, userId: u.id, role: u.role, via };
}

function view(r: UserRow): User {
  return { id: r.id, email: r.email, name: r.name, role: r.role, disabled: r.disabled === 1, createdAt: r.created_at };
}

/** Users, their sessions and API tokens. Secrets are stored only as SHA-256; passwords as scrypt. */
@Injectable()
export class UsersService {
  private readonly failures = new Map<string, number[]>();

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
    const password = o && (typeof o.password === 'string' && o.password.length >= MIN_PASSWORD && o.password.length <= 200
      ? o.password : c.fail('password', `must be ${MIN_PASSWORD} to 200 characters`));
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return { email: email!.toLowerCase(), name: name!.trim(), role: role!, password: password! };
  }

  async create(body: unknown): Promise<User> {
    const input = UsersService.check(body);
    const hash = await hashPassword(input.password);
    return this.runner.transaction((m) => this.insert(m, input, hash));
  }

  private async insert(m: EntityManager, input: { email: string; name: string; role: Role }, hash: string): Promise<User> {
    const [taken]: unknown[] = await m.query('SELECT 1 FROM "user" WHERE "email" = ?', [input.email]);
    if (taken) throw new ConflictException({ errors: [{ path: 'email', message: 'a user with this email exists already' }] });
    const row: UserRow = { id: randomUUID(), email: input.email, name: input.name, role: input.role, password_hash: hash, disabled: 0, created_at: this.now() };
    await m.query('INSERT INTO "user" ("id", "email", "name", "role", "password_hash", "disabled", "created_at") VALUES (?, ?, ?, ?, ?, 0, ?)',
      [row.id, row.email, row.name, row.role, row.password_hash, row.created_at]);
    return view(row);
  }

  async setDisabled(id: string, disabled: boolean): Promise<User> {
    return this.runner.transaction(async (m) => {
      const [row]: UserRow[] = await m.query('SELECT * FROM "user" WHERE "id" = ?', [id]);
      if (!row) throw new NotFoundException({ errors: [{ path: 'id', message: 'no such user' }] });
      await m.query('UPDATE "user" SET "disabled" = ? WHERE "id" = ?', [disabled ? 1 : 0, id]);
      if (disabled) {
        await m.query('DELETE FROM "session" WHERE "user_id" = ?', [id]);
        await m.query('UPDATE "api_token" SET "revoked" = 1 WHERE "user_id" = ?', [id]);
      }
      return view({ ...row, disabled: disabled ? 1 : 0 });
    });
  }

  /** Password login, rate-limited per client address and account. */
  async login(emailText: unknown, password: unknown, client: string): Promise<{ token: string; csrf: string; user: User }> {
    const email = typeof emailText === 'string' ? emailText.trim().toLowerCase() : '';
    const key = `${client}|${email}`;
    const now = this.clock.now().getTime();
    const recent = (this.failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (recent.length >= MAX_FAILURES) {
      const wait = Math.ceil((WINDOW_MS - (now - recent[0])) / 60_000);
      throw new HttpException({ errors: [{ path: 'email', message: `too many failed attempts; try again in ${wait} minute${wait === 1 ? '' : 's'}` }] }, HttpStatus.TOO_MANY_REQUESTS);
    }
    const [row]: UserRow[] = await this.runner.read((m) => m.query('SELECT * FROM "user" WHERE "email" = ?', [email]));
    const ok = row && row.disabled === 0 && typeof password === 'string' && (await verifyPassword(password, row.password_hash));
    if (!ok) {
      this.failures.set(key, [...recent, now]);
      throw new HttpException({ errors: [{ path: 'email', message: 'wrong email or password' }] }, HttpStatus.UNAUTHORIZED);
    }
    this.failures.delete(key);
    const token = newSecret('bfs');
    const csrf = randomBytes(24).toString('base64url');
    const expires = new Date(now + SESSION_HOURS * 3600_000).toISOString();
    await this.runner.transaction(async (m) => {
      await m.query('DELETE FROM "session" WHERE "expires_at" <= ?', [this.now()]);
      await m.query('INSERT INTO "session" ("token_hash", "user_id", "csrf", "created_at", "expires_at") VALUES (?, ?, ?, ?, ?)',
        [secretHash(token), row.id, csrf, this.now(), expires]);
    });
    return { token, csrf, user: view(row) };
  }

  async session(token: string): Promise<{ user: User; csrf: string } | null> {
    const [row]: (UserRow & { csrf: string; expires_at: string })[] = await this.runner.read((m) => m.query(
      `SELECT u.*, s."csrf", s."expires_at" FROM "session" s JOIN "user" u ON u."id" = s."user_id" WHERE s."token_hash" = ?`, [secretHash(token)]));
    if (!row || row.disabled || row.expires_at <= this.now()) return null;
    return { user: view(row), csrf: row.csrf };
  }

  async logout(token: string): Promise<void> {
    await this.runner.transaction((m) => m.query('DELETE FROM "session" WHERE "token_hash" = ?', [secretHash(token)]));
  }

  /** A new API token for a user: the secret is returned once and stored only as its hash. */
  async createToken(userId: string, label: unknown): Promise<{ id: string; token: string; label: string }> {
    const c = new Checker();
    const text = c.string(label, 'label');
    if (text && text.length > 100) c.fail('label', 'is too long (100 characters at most)');
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    const token = newSecret('bft');
    const id = randomUUID();
    await this.runner.transaction(async (m) => {
      const [user]: unknown[] = await m.query('SELECT 1 FROM "user" WHERE "id" = ? AND "disabled" = 0', [userId]);
      if (!user) throw new NotFoundException({ errors: [{ path: 'id', message: 'no such active user' }] });
      await m.query('INSERT INTO "api_token" ("id", "token_hash", "user_id", "label", "created_at") VALUES (?, ?, ?, ?, ?)', [id, secretHash(token), userId, text, this.now()]);
    });
    return { id, token, label: text! };
  }

  async tokenUser(token: string): Promise<User | null> {
    const [row]: UserRow[] = await this.runner.read((m) => m.query(
      `SELECT u.* FROM "api_token" t JOIN "user" u ON u."id" = t."user_id" WHERE t."token_hash" = ? AND t."revoked" = 0 AND u."disabled" = 0`, [secretHash(token)]));
    return row ? view(row) : null;
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
