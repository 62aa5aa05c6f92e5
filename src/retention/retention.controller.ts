import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { ApiDoc } from '../openapi/api-doc';
import { PurgeReport, RetentionService } from './retention.service';

@ApiTags('settings')
@Controller('api/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Post('purge')
  @HttpCode(200)
  @Roles('admin', 'privacy_officer')
  @ApiDoc({
    summary: 'Run the retention job now (it also runs hourly on the server): removes letter files and patients\' .eml copies past the retention setting, keeping each file\'s SHA-256, the counts and the proof; audited',
    ok: { status: 200, description: 'What was removed; ran is false when another process is running it', schema: 'PurgeReport' },
  })
  purge(@CurrentActor() actor: Actor): Promise<PurgeReport> {
    return this.retention.purge(actor.id);
  }
}
