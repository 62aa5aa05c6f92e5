import { Public } from '../auth/auth.guard';
import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import type { Response } from 'express';
import { Health, HealthService } from './health.service';

@ApiTags('health')
@Public()
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when the database answers, 503 when it does not. */
  @Get()
  @ApiDoc({ summary: 'Is the server up: the database, the migrations applied, the rule pack', ok: { status: 200, description: 'The database answers', schema: 'Health' }, errors: [503] })
  async get(@Res({ passthrough: true }) res: Response): Promise<Health> {
    const health = await this.health.check();
    res.status(health.status === 'ok' ? 200 : 503);
    return health;
  }
}
