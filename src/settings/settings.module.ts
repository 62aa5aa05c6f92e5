import { Global, Module } from '@nestjs/common';
import { IncidentReadsRepository } from './incident-reads.repository';
import { PracticeSettingsRepository } from './practice-settings.repository';
import { SettingsController } from './settings.controller';
import { SettingsService } from './settings.service';

@Global()
@Module({ controllers: [SettingsController], providers: [SettingsService, PracticeSettingsRepository, IncidentReadsRepository], exports: [SettingsService, IncidentReadsRepository] })
export class SettingsModule {}
