import { Body, Controller, Get, HttpException, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Role, ROLE_NAMES, ROLES, WithActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { UsersService } from '../auth/users.service';
import { clientErrors as errorsOf } from '../http-errors.filter';
import { sendPage } from './page';
import { Views } from './views';

type Form = Record<string, unknown>;

/** The administrator's users page: the list, adding a user, a user's roles, the owner's own API token. */
@ApiExcludeController()
@Controller()
export class UsersPageController {
  constructor(private readonly views: Views, private readonly users: UsersService) {}

  private page(res: Response, req: WithActor, page: string, title: string, model: Record<string, unknown>, status: number): void {
    sendPage(this.views, res, req, page, title, model, status);
  }

  private async usersPage(req: WithActor, res: Response, extra: Record<string, unknown> = {}, status = 200): Promise<void> {
    const users = (await this.users.list()).map((u) => ({
      ...u, roleName: u.roles.map((r) => ROLE_NAMES[r]).join(', '), self: u.id === req.actor?.userId,
      roleChoices: ROLES.map((r: Role) => ({ value: r, label: ROLE_NAMES[r], held: u.roles.includes(r) })),
    }));
    this.page(res, req, 'users', 'Users', { users, roles: ROLES.map((r: Role) => ({ value: r, label: ROLE_NAMES[r] })), ...extra }, status);
  }

  @Roles('admin')
  @Get('admin/users')
  usersList(@Req() req: WithActor, @Res() res: Response): Promise<void> {
    return this.usersPage(req, res);
  }

  @Roles('admin')
  @Post('admin/users')
  async addUser(@Req() req: WithActor, @Res() res: Response, @Body() body: Form): Promise<void> {
    try {
      await this.users.create({ name: body.name, email: body.email, roles: formRoles(body.roles ?? body.role), password: body.password }, req.actor);
      res.redirect(303, '/admin/users');
    } catch (e) {
      const errors = errorsOf(e);
      if (!errors) throw e;
      await this.usersPage(req, res, { errors }, 422);
    }
  }

  /** The roles a user holds, from the checkboxes of their row (audited by the service). */
  @Roles('admin')
  @Post('admin/users/:id/roles')
  async userRoles(@Req() req: WithActor, @Res() res: Response, @Param('id') id: string, @Body() body: Form): Promise<void> {
    try {
      if (!(await this.users.get(id))) { await this.usersPage(req, res, { errors: [{ path: 'user', message: 'no such user' }] }, 404); return; }
      await this.users.setRoles(id, { roles: formRoles(body.roles) }, req.actor!);
      res.redirect(303, '/admin/users');
    } catch (e) {
      const errors = errorsOf(e);
      if (!errors) throw e;
      await this.usersPage(req, res, { errors: errors.map((x) => ({ ...x, path: 'roles' })) }, e instanceof HttpException ? e.getStatus() : 422);
    }
  }

  @Roles('admin')
  @Post('admin/users/:id/token')
  async token(@Req() req: WithActor, @Res() res: Response, @Param('id') id: string, @Body() body: Form): Promise<void> {
    const user = await this.users.get(id);
    if (!user) { await this.usersPage(req, res, { errors: [{ path: 'user', message: 'no such user' }] }, 404); return; }
    if (id !== req.actor!.userId) { await this.usersPage(req, res, { errors: [{ path: 'user', message: 'an API token is made by its owner only (sign in as them); you may disable the user, which revokes theirs' }] }, 403); return; }
    const { token } = await this.users.createToken(id, body.label ?? 'web', undefined, req.actor);
    await this.usersPage(req, res, { token, tokenFor: user.name });
  }
}

/** Checkboxes send one value as a string, several as a list, none at all as nothing. */
function formRoles(v: unknown): unknown {
  if (v === undefined || v === '') return [];
  return typeof v === 'string' ? [v] : v;
}
