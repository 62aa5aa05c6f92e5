import { Global, Module } from '@nestjs/common';
import { IncidentRepository } from '../incidents/incident.repository';
import { PracticeSettingsRepository } from './practice-settings.repository';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Global()
@Module({ controllers: [SettingsController], providers: [SettingsService, PracticeSettingsRepository, IncidentRepository], exports: [SettingsService] })
export class SettingsModule {}
