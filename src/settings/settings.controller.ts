import { Body, Controller, Get, Put, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Actor, ActorHeaderGuard, CurrentActor } from '../auth/actor';
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
  @UseGuards(ActorHeaderGuard)
  @ApiHeader({ name: 'X-Actor', required: true })
  @ApiOperation({ summary: 'Change the practice name, the owner and privacy officer emails, or the reminder ladder (fields not given are kept)' })
  update(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<PracticeSettings> {
    return this.settings.update(actor, body);
  }
}
