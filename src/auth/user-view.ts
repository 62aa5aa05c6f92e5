import { UnprocessableEntityException } from '@nestjs/common';
import { isEmail } from '../domain/reminders/reminder-settings';
import { Checker } from '../domain/validation';
import { Actor, primaryRole, Role, ROLES } from './actor';
import { passwordProblem } from './password-policy';
import { MIN_PASSWORD } from './passwords';
import { UserRow } from './user.repository';

/** What the API shows of users and tokens, and the checks of roles and of a new user's fields, apart from the service that stores them. */

export interface User {
  id: string;
  email: string;
  name: string;
  /** The primary role (the most capable one held). */
  role: Role;
  /** Every role held. */
  roles: Role[];
  disabled: boolean;
  createdAt: string;
}

export interface TokenView { id: string; label: string; createdAt: string; expiresAt: string | null; lastUsedAt: string | null; revoked: boolean }

export function actorOf(u: Pick<User, 'id' | 'name' | 'email' | 'role'> & { roles?: Role[] }, via: Actor['via']): Actor {
  const roles = u.roles ?? [u.role];
  return { id: `${u.name} <${u.email}>`, userId: u.id, role: primaryRole(roles), roles, via };
}

/** A user as the API shows it, with every role held (in ROLES order). */
export function userView(r: UserRow, held: Role[] = [r.role]): User {
  const roles = ROLES.filter((x) => held.includes(x));
  return { id: r.id, email: r.email, name: r.name, role: primaryRole(roles), roles, disabled: r.disabled === 1, createdAt: r.created_at };
}

/** Roles as given: one role, a list, or "owner,admin"; each known, at least one, in ROLES order. */
export function checkRoles(c: Checker, v: unknown, path: string): Role[] | undefined {
  const list = typeof v === 'string' ? v.split(',').map((x) => x.trim()) : v;
  if (!Array.isArray(list) || list.length === 0 || list.length > ROLES.length) {
    return c.fail(path, `must be one or more of: ${ROLES.join(', ')}`);
  }
  const out = new Set<Role>();
  list.forEach((r, i) => {
    const role = c.oneOf(r, list.length === 1 && typeof v === 'string' ? path : `${path}[${i}]`, ROLES);
    if (role) out.add(role);
  });
  return ROLES.filter((r) => out.has(r));
}

/** A new user's fields; every bad field named. */
export function checkNewUser(body: unknown): { email: string; name: string; roles: Role[]; password: string } {
  const c = new Checker();
  const o = c.object(body, '', ['email', 'name', 'role', 'roles', 'password', '_csrf']);
  const email = o && (isEmail(o.email) ? (o.email as string) : c.fail('email', 'must be an email address'));
  const name = o && c.string(o.name, 'name');
  if (name && name.length > 100) c.fail('name', 'is too long (100 characters at most)');
  if (o && o.role !== undefined && o.roles !== undefined) c.fail('roles', 'give role or roles, not both');
  const roles = o && (o.roles !== undefined ? checkRoles(c, o.roles, 'roles') : typeof o.role === 'string' ? checkRoles(c, o.role, 'role') : c.fail('role', `must be one of: ${ROLES.join(', ')}; got nothing`));
  const problem = o && (typeof o.password === 'string' ? passwordProblem(o.password, typeof o.email === 'string' ? o.email : undefined) : `must be ${MIN_PASSWORD} to 200 characters`);
  const password = o && (problem ? c.fail('password', problem) : (o.password as string));
  if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
  return { email: email!.toLowerCase(), name: name!.trim(), roles: roles!, password: password! };
}
