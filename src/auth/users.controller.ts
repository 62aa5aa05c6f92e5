import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { NEW_TOKEN_EXAMPLE, NEW_USER_EXAMPLE } from '../openapi/examples';
import { Actor, CurrentActor } from './actor';
import { Roles } from './auth.guard';
import { User, UsersService } from './users.service';

const userId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'id', message: 'must be a user id (a UUID)' }] }) });

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
  @ApiDoc({ summary: 'Add a user (password of 12 characters or more)', body: { schema: 'NewUser', example: NEW_USER_EXAMPLE }, ok: { status: 201, description: 'The user', schema: 'User' }, errors: [409] })
  create(@Body() body: unknown): Promise<User> {
    return this.users.create(body);
  }

  @Post('users/:id/disable')
  @Roles('admin')
  @ApiDoc({ summary: 'Disable a user: their sessions end and their API tokens are revoked', ok: { status: 201, description: 'The user, disabled', schema: 'User' } })
  disable(@Param('id', userId) id: string): Promise<User> {
    return this.users.setDisabled(id, true);
  }

  @Post('users/:id/tokens')
  @Roles('admin')
  @ApiDoc({ summary: 'A new API token for a user; the secret is shown once, stored only as a hash', body: { schema: 'NewToken', example: NEW_TOKEN_EXAMPLE }, ok: { status: 201, description: 'The token, with its secret', schema: 'Token' } })
  token(@Param('id', userId) id: string, @Body() body: { label?: unknown } | undefined) {
    return this.users.createToken(id, body?.label);
  }
}
