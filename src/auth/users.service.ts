import { ConflictException, ForbiddenException, HttpException, HttpStatus, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { appendAccessEvent } from '../audit/access-log';
import { Clock, CLOCK } from '../clock/clock';
import { Checker } from '../domain/validation';
import { TransactionRunner } from '../persistence/transaction-runner';
import { Actor, hasRole, primaryRole, Role } from './actor';
import { ApiTokenRepository } from './api-token.repository';
import { SessionRepository } from './session.repository';
import { UserRepository, UserRow } from './user.repository';
import { actorOf, checkNewUser, checkRoles, TokenView, User, userView as view } from './user-view';
import { LoginLimiter } from './login-limiter';
import { passwordProblem } from './password-policy';
import { hashPassword, MIN_PASSWORD, newSecret, secretHash, verifyPassword } from './passwords';

export type { TokenView, User } from './user-view';
export { actorOf, checkRoles } from './user-view';

const SESSION_HOURS = 12;
/** A session unused this long ends (besides the 12-hour cap). */
export const IDLE_MINUTES = 30;
/** An API token lasts this long unless made with expiresInDays (1 to 365). */
const TOKEN_DAYS = 90;

/** Users, their sessions and API tokens. Secrets are stored only as SHA-256; passwords as scrypt. */
@Injectable()
export class UsersService {
  private readonly limiter = new LoginLimiter();
  /** A hash to check a password against when the account does not exist, so the answer takes as long. */
  private readonly dummyHash = hashPassword(newSecret('dummy'));
  private readonly usersRepo = new UserRepository();
  private readonly sessions = new SessionRepository();
  private readonly apiTokens = new ApiTokenRepository();

  constructor(private readonly runner: TransactionRunner, @Inject(CLOCK) private readonly clock: Clock) {}

  private now(): string {
    return this.clock.now().toISOString();
  }

  async count(): Promise<number> {
    return this.runner.read((m) => this.usersRepo.count(m));
  }

  async list(): Promise<User[]> {
    return this.runner.read(async (m) => {
      const roles = await this.usersRepo.rolesOf(m);
      return (await this.usersRepo.all(m)).map((r) => view(r, roles.get(r.id)));
    });
  }

  /** One user with the roles they hold, or null (that user's rows only). */
  async get(id: string): Promise<User | null> {
    return this.runner.read(async (m) => {
      const r = await this.usersRepo.byId(m, id);
      return r ? this.withRoles(m, r) : null;
    });
  }

  /** A user row as a User, with the roles they hold. */
  private async withRoles(m: EntityManager, r: UserRow): Promise<User> {
    return view(r, (await this.usersRepo.rolesOf(m, r.id)).get(r.id));
  }

  async create(body: unknown, by?: Actor): Promise<User> {
    const input = checkNewUser(body);
    const hash = await hashPassword(input.password);
    return this.runner.transaction(async (m) => {
      await this.usersRepo.lockForChange(m);
      return this.addIn(m, input, hash, by?.id ?? 'breachflow (command line)');
    });
  }

  /**
   * A new user, audited as added by `actor`, inside a unit of work already running and holding the
   * user changes' lock (`create`, and the first admin's by the setup link).
   */
  async addIn(m: EntityManager, input: { email: string; name: string; roles: Role[] }, hash: string, actor: string): Promise<User> {
    if (await this.usersRepo.byEmail(m, input.email)) throw new ConflictException({ errors: [{ path: 'email', message: 'a user with this email exists already' }] });
    const row: UserRow = { id: randomUUID(), email: input.email, name: input.name, role: primaryRole(input.roles), password_hash: hash, disabled: 0, created_at: this.now() };
    await this.usersRepo.insert(m, row);
    await this.usersRepo.setRoles(m, row.id, input.roles);
    await appendAccessEvent(m, { type: 'user.created', actor, at: this.now(), subject: row.id, detail: { role: row.role, roles: input.roles } });
    return view(row, input.roles);
  }

  /**
   * The roles a user holds, replaced (admin only, audited with before and after). The last active
   * administrator keeps the admin role: someone must be able to manage users.
   */
  async setRoles(id: string, body: unknown, by: Actor): Promise<User> {
    const c = new Checker();
    const o = c.object(body, '', ['roles', '_csrf']);
    const roles = o && checkRoles(c, o.roles, 'roles');
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return this.runner.transaction(async (m) => {
      await this.usersRepo.lockForChange(m);
      const row = await this.usersRepo.byId(m, id);
      if (!row) throw new NotFoundException({ errors: [{ path: 'id', message: 'no such user' }] });
      const before = await this.withRoles(m, row);
      if (!roles!.includes('admin')) await this.keepAnAdministrator(m, id, 'roles', 'give another user the admin role first');
      await this.usersRepo.setRoles(m, id, roles!);
      await this.usersRepo.setPrimaryRole(m, id, primaryRole(roles!));
      await appendAccessEvent(m, { type: 'user.rolesChanged', actor: by.id, at: this.now(), subject: id, detail: { from: before.roles, to: roles } });
      return view({ ...row, role: primaryRole(roles!) }, roles);
    });
  }

  async setDisabled(id: string, disabled: boolean, by?: Actor): Promise<User> {
    return this.runner.transaction(async (m) => {
      await this.usersRepo.lockForChange(m);
      const row = await this.usersRepo.byId(m, id);
      if (!row) throw new NotFoundException({ errors: [{ path: 'id', message: 'no such user' }] });
      if (disabled) await this.keepAnAdministrator(m, id, 'id', 'give another user the admin role before disabling this one');
      await this.usersRepo.setDisabled(m, id, disabled);
      if (disabled) {
        await this.sessions.deleteOfUser(m, id);
        await this.apiTokens.revokeAllOf(m, id, by?.id ?? 'breachflow', this.now());
        await appendAccessEvent(m, { type: 'user.disabled', actor: by?.id ?? 'breachflow', at: this.now(), subject: id });
      }
      return this.withRoles(m, { ...row, disabled: disabled ? 1 : 0 });
    });
  }

  /** Refuses a change that would leave no active administrator (someone must be able to manage users); inside a user change's lock. */
  private async keepAnAdministrator(m: EntityManager, id: string, path: string, advice: string): Promise<void> {
    const admins = await this.usersRepo.activeHolders(m, 'admin');
    if (admins.length === 1 && admins[0] === id) throw new ConflictException({ errors: [{ path, message: `this is the last active administrator: ${advice}` }] });
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
    const found = await this.runner.read(async (m) => {
      const r = await this.usersRepo.byEmail(m, email);
      return r ? { row: r, user: await this.withRoles(m, r) } : null;
    });
    const row = found?.row;
    // scrypt runs whether or not the account exists, so the time taken does not tell.
    const checked = await verifyPassword(typeof password === 'string' ? password.slice(0, 200) : '', row?.password_hash ?? (await this.dummyHash));
    const ok = row !== undefined && row.disabled === 0 && typeof password === 'string' && checked;
    if (!ok) {
      await this.runner.transaction((m) => appendAccessEvent(m, { type: 'login.failed', actor: found ? actorOf(found.user, 'session').id : '(no such account)', at: this.now(), subject: row?.id ?? null, detail: { client } }));
      throw new HttpException({ errors: [{ path: 'email', message: 'wrong email or password' }] }, HttpStatus.UNAUTHORIZED);
    }
    this.limiter.succeeded(turn.ticket);
    const token = newSecret('bfs');
    const csrf = randomBytes(24).toString('base64url');
    const expires = new Date(now + SESSION_HOURS * 3600_000).toISOString();
    await this.runner.transaction(async (m) => {
      await this.sessions.deleteExpired(m, this.now());
      await this.sessions.insert(m, { tokenHash: secretHash(token), userId: row!.id, csrf, createdAt: this.now(), expiresAt: expires });
      await appendAccessEvent(m, { type: 'login.succeeded', actor: actorOf(found!.user, 'session').id, at: this.now(), subject: row!.id, detail: { client } });
    });
    return { token, csrf, user: found!.user };
  }

  async session(token: string): Promise<{ user: User; csrf: string } | null> {
    const hash = secretHash(token);
    const found = await this.runner.read(async (m) => {
      const r = await this.sessions.withUser(m, hash);
      return r ? { row: r, user: await this.withRoles(m, r) } : null;
    });
    const row = found?.row;
    if (!row || row.disabled || row.expires_at <= this.now()) return null;
    const now = this.clock.now().getTime();
    const seen = row.last_seen_at ? Date.parse(row.last_seen_at) : now;
    if (now - seen >= IDLE_MINUTES * 60_000) return null;
    if (now - seen >= 60_000) await this.runner.transaction((m) => this.sessions.touch(m, hash, this.now()));
    return { user: found!.user, csrf: row.csrf };
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
    const row = actor.userId ? await this.runner.read((m) => this.usersRepo.byId(m, actor.userId!)) : null;
    const problem = o && (typeof o.newPassword === 'string' ? passwordProblem(o.newPassword, row?.email) : `must be ${MIN_PASSWORD} to 200 characters`);
    if (problem) c.fail('newPassword', problem);
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    if (!row || !(await verifyPassword(current!.slice(0, 200), row.password_hash))) {
      throw new HttpException({ errors: [{ path: 'currentPassword', message: 'is not your current password' }] }, HttpStatus.FORBIDDEN);
    }
    const unchanged = await verifyPassword(o!.newPassword as string, row.password_hash);
    const hash = await hashPassword(o!.newPassword as string);
    await this.runner.transaction(async (m) => {
      await this.usersRepo.setPasswordHash(m, row.id, hash);
      // The same password again changes nothing anyone knows: the sessions stay.
      const ended = unchanged ? 0 : await this.sessions.deleteOthers(m, row.id, keepSession ? secretHash(keepSession) : '');
      await appendAccessEvent(m, { type: 'password.changed', actor: actor.id, at: this.now(), subject: row.id, detail: { otherSessionsEnded: ended } });
    });
    return { changed: true };
  }

  async logout(token: string): Promise<void> {
    await this.runner.transaction((m) => this.sessions.delete(m, secretHash(token)));
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
      if (!(await this.usersRepo.isActive(m, userId))) throw new NotFoundException({ errors: [{ path: 'id', message: 'no such active user' }] });
      const maker = by?.id ?? 'breachflow';
      await this.apiTokens.insert(m, { id, tokenHash: secretHash(token), userId, label: text!, createdAt: this.now(), expiresAt, createdBy: maker });
      await appendAccessEvent(m, { type: 'token.created', actor: maker, at: this.now(), subject: id, detail: { userId, label: text, expiresAt } });
    });
    return { id, token, label: text!, expiresAt };
  }

  /** A user's own tokens (never their secrets). */
  async tokens(userId: string): Promise<TokenView[]> {
    const rows = await this.runner.read((m) => this.apiTokens.ofUser(m, userId));
    return rows.map((r) => ({ id: r.id, label: r.label, createdAt: r.created_at, expiresAt: r.expires_at, lastUsedAt: r.last_used_at, revoked: r.revoked === 1 }));
  }

  /** Revokes a token: its owner, or an administrator for anyone's. Audited with who did it. */
  async revokeToken(userId: string, tokenId: string, by: Actor): Promise<TokenView> {
    if (!hasRole(by, 'admin') && by.userId !== userId) throw new ForbiddenException({ errors: [{ path: 'id', message: "only the token's owner or an administrator may revoke it" }] });
    await this.runner.transaction(async (m) => {
      const row = await this.apiTokens.revokedState(m, tokenId, userId);
      if (!row) throw new NotFoundException({ errors: [{ path: 'tokenId', message: 'no such token for this user' }] });
      if (row.revoked) return;
      await this.apiTokens.revoke(m, tokenId, by.id, this.now());
      await appendAccessEvent(m, { type: 'token.revoked', actor: by.id, at: this.now(), subject: tokenId, detail: { userId } });
    });
    return (await this.tokens(userId)).find((t) => t.id === tokenId)!;
  }

  async tokenUser(token: string): Promise<User | null> {
    const hash = secretHash(token);
    const found = await this.runner.read(async (m) => {
      const r = await this.apiTokens.liveUser(m, hash, this.now());
      return r ? { row: r, user: await this.withRoles(m, r) } : null;
    });
    if (!found) return null;
    const row = found.row;
    // Kept to the minute: a write per request would be a write per request.
    const now = this.clock.now();
    if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) >= 60_000) {
      await this.runner.transaction((m) => this.apiTokens.markUsed(m, row.token_id, now.toISOString()));
    }
    return found.user;
  }
}
