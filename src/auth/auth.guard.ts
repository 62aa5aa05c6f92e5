import { CanActivate, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { timingSafeEqual } from 'node:crypto';
import { hasRole, Role, ROLE_NAMES, WithActor } from './actor';
import { actorOf, UsersService } from './users.service';

export const PUBLIC = 'breachflow:public';
export const ROLES_KEY = 'breachflow:roles';

/** Reachable without logging in (health, the plan calculator, login, setup). */
export const Public = () => SetMetadata(PUBLIC, true);
/** Only these roles; without it, any logged-in user. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const SESSION_COOKIE = 'bf_session';

export function cookie(req: { headers: { cookie?: string } }, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      // Set by anyone on this host (another app's page): a broken %-escape is no session, not an error.
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Every request: who is it (an API token, or a browser session cookie), may they (role), and for
 * a browser's changing request, is the CSRF token the session's. Replaces the X-Actor header.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly users: UsersService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<WithActor>();
    const targets = [context.getHandler(), context.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC, targets);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      const user = await this.users.tokenUser(bearer);
      if (!user) throw new UnauthorizedException({ errors: [{ path: 'Authorization', message: 'this API token is not valid (revoked, or its user disabled)' }] });
      req.actor = actorOf(user, 'token');
    } else {
      const token = cookie(req, SESSION_COOKIE);
      const session = token ? await this.users.session(token) : null;
      if (session) {
        req.actor = actorOf(session.user, 'session');
        req.csrf = session.csrf;
      }
    }
    if (isPublic) return true;
    if (!req.actor) throw new UnauthorizedException({ errors: [{ path: 'Authorization', message: 'log in, or send an API token as Authorization: Bearer ...' }] });
    if (req.actor.via === 'session' && !['GET', 'HEAD', 'OPTIONS'].includes(req.method)) {
      const sent = (req.body as { _csrf?: unknown } | undefined)?._csrf ?? req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !same(sent, req.csrf!)) {
        throw new ForbiddenException({ errors: [{ path: '_csrf', message: 'the form is out of date or did not come from breachflow; reload the page and try again' }] });
      }
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    // A user holding several roles may do what any of them may.
    if (roles && !roles.some((r) => hasRole(req.actor, r))) {
      throw new ForbiddenException({ errors: [{ path: 'role', message: `${ROLE_NAMES[req.actor.role!]}s cannot do this; it takes: ${roles.map((r) => ROLE_NAMES[r].toLowerCase()).join(' or ')}` }] });
    }
    return true;
  }
}
