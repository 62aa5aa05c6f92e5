import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { PracticeSettings } from '../domain/reminders/reminder-settings';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  get(): Promise<PracticeSettings> {
    return this.settings.get();
  }

  @Put()
  @Roles('admin')
  @ApiOperation({ summary: 'Change the practice name, the owner and privacy officer emails, or the reminder ladder (fields not given are kept)' })
  update(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<PracticeSettings> {
    return this.settings.update(actor, body);
  }
}
