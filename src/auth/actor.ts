import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';

export const ROLES = ['owner', 'privacy_officer', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  owner: 'Practice owner', privacy_officer: 'Privacy officer', admin: 'Administrator', auditor: 'Auditor',
};

/** Which of a user's roles is their primary one (shown, and read by code that knows one role): the most capable first. */
export const ROLE_PRIORITY: readonly Role[] = ['privacy_officer', 'admin', 'owner', 'auditor'];

export function primaryRole(roles: readonly Role[]): Role {
  return ROLE_PRIORITY.find((r) => roles.includes(r)) ?? roles[0];
}

/** Who caused a change: recorded on every audit event as "Name <email>". */
export interface Actor {
  id: string;
  userId?: string;
  /** The primary role (see ROLE_PRIORITY). */
  role?: Role;
  /** Every role the user holds: access checks take their union. */
  roles?: Role[];
  /** How the actor was identified: a browser session, an API token, or the command line. */
  via: 'session' | 'token' | 'cli' | 'system';
}

/** Whether the actor holds this role (any of their roles). */
export function hasRole(actor: Pick<Actor, 'role' | 'roles'> | undefined, role: Role): boolean {
  if (!actor) return false;
  return (actor.roles ?? (actor.role ? [actor.role] : [])).includes(role);
}

export type WithActor = Request & { actor?: Actor; csrf?: string };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<WithActor>().actor;
  if (!actor) throw new UnauthorizedException({ errors: [{ path: 'Authorization', message: 'log in, or send an API token as Authorization: Bearer ...' }] });
  return actor;
});
