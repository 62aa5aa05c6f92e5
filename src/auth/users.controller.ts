import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from './actor';
import { Roles } from './auth.guard';
import { TokenView, User, UsersService } from './users.service';

const userId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'id', message: 'must be a user id (a UUID)' }] }) });
const tokenId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'tokenId', message: 'must be a token id (a UUID)' }] }) });
type TokenBody = { label?: unknown; expiresInDays?: unknown } | undefined;

@ApiTags('users')
@Controller('api')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'Who this session or API token is' })
  me(@CurrentActor() actor: Actor): Actor {
    return actor;
  }

  @Get('users')
  @Roles('admin')
  list(): Promise<User[]> {
    return this.users.list();
  }

  @Post('users')
  @Roles('admin')
  @ApiOperation({ summary: 'Add a user: {email, name, role: owner|privacy_officer|admin|auditor, password (12+ characters)}' })
  create(@Body() body: unknown, @CurrentActor() actor: Actor): Promise<User> {
    return this.users.create(body, actor);
  }

  @Post('users/:id/disable')
  @Roles('admin')
  @ApiOperation({ summary: "Disable a user: their sessions end and their API tokens are revoked" })
  disable(@Param('id', userId) id: string, @CurrentActor() actor: Actor): Promise<User> {
    return this.users.setDisabled(id, true, actor);
  }

  @Post('me/tokens')
  @ApiOperation({ summary: 'A new API token for yourself ({label, expiresInDays: 1-365, default 90}); the secret is shown once, stored only as a hash. Nobody makes a token for someone else' })
  token(@CurrentActor() actor: Actor, @Body() body: TokenBody) {
    return this.users.createToken(actor.userId ?? '', body?.label, body?.expiresInDays, actor);
  }

  @Post('me/password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change your own password: {currentPassword, newPassword} (12+ characters, not a common one); audited' })
  password(@CurrentActor() actor: Actor, @Body() body: unknown) {
    return this.users.changePassword(actor, body);
  }

  @Get('me/tokens')
  @ApiOperation({ summary: 'Your API tokens: label, created, expiry, last used, revoked (never the secret)' })
  myTokens(@CurrentActor() actor: Actor): Promise<TokenView[]> {
    return this.users.tokens(actor.userId ?? '');
  }

  @Post('users/:id/tokens/:tokenId/revoke')
  @ApiOperation({ summary: "Revoke an API token: its owner's own, or anyone's by an administrator (audited)" })
  revoke(@Param('id', userId) id: string, @Param('tokenId', tokenId) token: string, @CurrentActor() actor: Actor): Promise<TokenView> {
    return this.users.revokeToken(id, token, actor);
  }
}
