import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Req, UnprocessableEntityException } from '@nestjs/common';
import type { Request } from 'express';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { NEW_TOKEN_EXAMPLE, NEW_USER_EXAMPLE, PASSWORD_CHANGE_EXAMPLE } from '../openapi/examples';
import { Actor, CurrentActor } from './actor';
import { cookie, Roles, SESSION_COOKIE } from './auth.guard';
import { TokenView, User, UsersService } from './users.service';

const userId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'id', message: 'must be a user id (a UUID)' }] }) });
const tokenId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'tokenId', message: 'must be a token id (a UUID)' }] }) });
type TokenBody = { label?: unknown; expiresInDays?: unknown } | undefined;

@ApiTags('users')
@Controller('api')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiDoc({ summary: 'Who this session or API token is', ok: { status: 200, description: 'The actor', schema: 'Actor' } })
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  @Get('users')
  @Roles('admin')
  @ApiDoc({ summary: 'The users, with their roles', ok: { status: 200, description: 'The users', schema: 'User', list: true } })
  list(): Promise<User[]> {
    return this.users.list();
  }

  @Post('users')
  @Roles('admin')
  @ApiDoc({ summary: 'Add a user (password of 12 characters or more, not a common one); audited', body: { schema: 'NewUser', example: NEW_USER_EXAMPLE }, ok: { status: 201, description: 'The user', schema: 'User' }, errors: [409] })
  create(@Body() body: unknown, @CurrentActor() actor: Actor): Promise<User> {
    return this.users.create(body, actor);
  }

  @Post('users/:id/disable')
  @Roles('admin')
  @ApiDoc({ summary: 'Disable a user: their sessions end and their API tokens are revoked; the last active administrator cannot be disabled; audited', ok: { status: 201, description: 'The user, disabled', schema: 'User' }, errors: [404, 409] })
  disable(@Param('id', userId) id: string, @CurrentActor() actor: Actor): Promise<User> {
    return this.users.setDisabled(id, true, actor);
  }

  @Put('users/:id/roles')
  @Roles('admin')
  @ApiDoc({ summary: 'Replace the roles a user holds (one or more; access is their union); the last active administrator keeps admin; audited', body: { schema: 'UserRoles', example: { roles: ['owner', 'admin'] } }, ok: { status: 200, description: 'The user', schema: 'User' }, errors: [404, 409] })
  roles(@Param('id', userId) id: string, @Body() body: unknown, @CurrentActor() actor: Actor): Promise<User> {
    return this.users.setRoles(id, body, actor);
  }

  @Post('me/tokens')
  @ApiDoc({ summary: 'A new API token for yourself (expiresInDays 1-365, default 90); the secret is shown once, stored only as a hash. Nobody makes a token for someone else; audited', body: { schema: 'NewToken', example: NEW_TOKEN_EXAMPLE }, ok: { status: 201, description: 'The token, with its secret', schema: 'Token' } })
  token(@CurrentActor() actor: Actor, @Body() body: TokenBody) {
    return this.users.createToken(actor.userId ?? '', body?.label, body?.expiresInDays, actor);
  }

  @Post('me/password')
  @HttpCode(200)
  @ApiDoc({ summary: 'Change your own password (12+ characters, not a common one); your other sessions end; audited', body: { schema: 'PasswordChange', example: PASSWORD_CHANGE_EXAMPLE }, ok: { status: 200, description: 'Changed', schema: 'PasswordChanged' } })
  password(@CurrentActor() actor: Actor, @Body() body: unknown, @Req() req: Request) {
    return this.users.changePassword(actor, body, actor.via === 'session' ? cookie(req, SESSION_COOKIE) : undefined);
  }

  @Get('me/tokens')
  @ApiDoc({ summary: 'Your API tokens: label, created, expiry, last used, revoked (never the secret)', ok: { status: 200, description: 'The tokens', schema: 'TokenView', list: true } })
  myTokens(@CurrentActor() actor: Actor): Promise<TokenView[]> {
    return this.users.tokens(actor.userId ?? '');
  }

  @Post('users/:id/tokens/:tokenId/revoke')
  @ApiDoc({ summary: "Revoke an API token: its owner's own, or anyone's by an administrator; audited", ok: { status: 201, description: 'The token, revoked', schema: 'TokenView' }, errors: [404] })
  revoke(@Param('id', userId) id: string, @Param('tokenId', tokenId) token: string, @CurrentActor() actor: Actor): Promise<TokenView> {
    return this.users.revokeToken(id, token, actor);
  }
}
