import { CanActivate, createParamDecorator, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';

/** Who caused a change: recorded on every audit event. */
export interface Actor {
  id: string;
  /** How the actor was identified; accounts and API tokens replace 'header' later. */
  via: 'header';
}

export const ACTOR_HEADER = 'x-actor';
const ACTOR_PATTERN = /^[\p{L}\p{N} ._@'-]{1,100}$/u;

type WithActor = Request & { actor?: Actor };

/**
 * Until accounts exist, each changing request names its actor in the X-Actor header. Services
 * receive an Actor and never read headers, so an authentication guard can replace this one alone.
 */
@Injectable()
export class ActorHeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<WithActor>();
    const value = req.headers[ACTOR_HEADER];
    const id = typeof value === 'string' ? value.trim() : '';
    if (!ACTOR_PATTERN.test(id)) {
      throw new UnauthorizedException({
        errors: [{ path: 'X-Actor', message: 'name who is making this change in the X-Actor header (letters, digits, spaces and . _ @ \' -; 100 at most)' }],
      });
    }
    req.actor = { id, via: 'header' };
    return true;
  }
}

export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<WithActor>().actor;
  if (!actor) throw new UnauthorizedException({ errors: [{ path: 'X-Actor', message: 'no actor on this request' }] });
  return actor;
});
