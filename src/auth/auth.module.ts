import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { UsersController } from './users.controller';
import { SetupService } from './setup.service';
import { UsersService } from './users.service';

@Global()
@Module({
  controllers: [UsersController],
  providers: [UsersService, SetupService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersService, SetupService],
})
export class AuthModule {}
