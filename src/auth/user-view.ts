import { Checker } from '../domain/validation';
import { Actor, primaryRole, Role, ROLES } from './actor';
import { UserRow } from './user.repository';

/** What the API shows of users and tokens, and the role list check, apart from the service that stores them. */

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
