import { Body, Controller, Get, Param, ParseUUIDPipe, Post, UnprocessableEntityException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from './actor';
import { Roles } from './auth.guard';
import { User, UsersService } from './users.service';

const userId = new ParseUUIDPipe({ version: '4', exceptionFactory: () => new UnprocessableEntityException({ errors: [{ path: 'id', message: 'must be a user id (a UUID)' }] }) });

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
  create(@Body() body: unknown): Promise<User> {
    return this.users.create(body);
  }

  @Post('users/:id/disable')
  @Roles('admin')
  @ApiOperation({ summary: "Disable a user: their sessions end and their API tokens are revoked" })
  disable(@Param('id', userId) id: string): Promise<User> {
    return this.users.setDisabled(id, true);
  }

  @Post('users/:id/tokens')
  @Roles('admin')
  @ApiOperation({ summary: 'A new API token for a user ({label}); the secret is shown once, stored only as a hash' })
  token(@Param('id', userId) id: string, @Body() body: { label?: unknown } | undefined) {
    return this.users.createToken(id, body?.label);
  }
}
