import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiDoc } from '../openapi/api-doc';
import { SETTINGS_EXAMPLE } from '../openapi/examples';
import { Actor, CurrentActor } from '../auth/actor';
import { Roles } from '../auth/auth.guard';
import { PracticeSettings } from '../domain/reminders/reminder-settings';
import { SettingsService } from './settings.service';

@ApiTags('settings')
@Controller('api/settings')
export class SettingsController {
  constructor(private readonly settings: SettingsService) {}

  @Get()
  @ApiDoc({ summary: "The practice's settings: its name, who is reminded, the reminder ladder, how patients reach it", ok: { status: 200, description: 'The settings', schema: 'PracticeSettings' } })
  get(): Promise<PracticeSettings> {
    return this.settings.get();
  }

  @Put()
  @Roles('admin')
  @ApiDoc({ summary: 'Change the practice name, the owner and privacy officer emails, the reminder ladder or the contact (fields not given are kept)', body: { schema: 'SettingsUpdate', example: SETTINGS_EXAMPLE }, ok: { status: 200, description: 'The settings after the change', schema: 'PracticeSettings' } })
  update(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<PracticeSettings> {
    return this.settings.update(actor, body);
  }
}
