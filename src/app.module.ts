import { DynamicModule, Module } from '@nestjs/common';
import { Clock } from './clock/clock';
import { AppConfig } from './config/config';
import { ConfigModule } from './config/config.module';
import { RulePack } from './domain/rules/rule-pack';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { HealthModule } from './health/health.module';
import { IncidentsModule } from './incidents/incidents.module';
import { PersistenceModule } from './persistence/persistence.module';
import { PlanModule } from './plan/plan.module';
import { RemindersModule } from './reminders/reminders.module';
import { PhiModule, RosterModule } from './roster/roster.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { DossierModule } from './dossier/dossier.module';
import { ClaimModule } from './claim/claim.module';
import { LettersModule } from './letters/letters.module';
import { SettingsModule } from './settings/settings.module';
import { RetentionModule } from './retention/retention.module';
import { WebModule } from './web/web.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, rulePack: RulePack, clock: Clock): DynamicModule {
    return {
      module: AppModule,
      imports: [ConfigModule.forRoot(config, rulePack, clock), PersistenceModule, PhiModule, AuthModule, HealthModule, PlanModule, SettingsModule, IncidentsModule, AuditModule, RemindersModule, RosterModule, LettersModule, AttachmentsModule, ClaimModule, DossierModule, RetentionModule, WebModule],
    };
  }
}
