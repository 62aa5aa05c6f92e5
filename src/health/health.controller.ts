import { Public } from '../auth/auth.guard';
import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Health, HealthService } from './health.service';

@Public()
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** 200 when the database answers, 503 when it does not. */
  @Get()
  async get(@Res({ passthrough: true }) res: Response): Promise<Health> {
    const health = await this.health.check();
    res.status(health.status === 'ok' ? 200 : 503);
    return health;
  }
}
