import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';

export const ROLES = ['owner', 'privacy_officer', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  owner: 'Practice owner', privacy_officer: 'Privacy officer', admin: 'Administrator', auditor: 'Auditor',
};

/** Who caused a change: recorded on every audit event as "Name <email>". */
export interface Actor {
  id: string;
  userId?: string;
  role?: Role;
  /** How the actor was identified: a browser session, an API token, or the command line. */
  via: 'session' | 'token' | 'cli' | 'system';
}

export type WithActor = Request & { actor?: Actor; csrf?: string };

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<WithActor>().actor;
  if (!actor) throw new UnauthorizedException({ errors: [{ path: 'Authorization', message: 'log in, or send an API token as Authorization: Bearer ...' }] });
  return actor;
});
