import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { AuditModule } from '../audit/audit.module';
import { ClaimModule } from '../claim/claim.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { LettersModule } from '../letters/letters.module';
import { RosterModule } from '../roster/roster.module';
import { AuditPageController } from './audit-page.controller';
import { ClaimPageController } from './claim-page.controller';
import { EvidencePageController } from './evidence-page.controller';
import { FactsNoticeController } from './facts-notice.controller';
import { IncidentNotesService } from './incident-notes.service';
import { LettersPageController } from './letters-page.controller';
import { RosterPageController } from './roster-page.controller';
import { SettingsPageController } from './settings-page.controller';
import { UsersPageController } from './users-page.controller';
import { multipartUpload } from './multipart.middleware';
import { Views } from './views';
import { WebController } from './web.controller';

@Module({
  imports: [IncidentsModule, LettersModule, AuditModule, RosterModule, AttachmentsModule, ClaimModule],
  controllers: [WebController, FactsNoticeController, RosterPageController, LettersPageController, SettingsPageController, EvidencePageController, ClaimPageController, AuditPageController, UsersPageController],
  providers: [Views, IncidentNotesService],
})
export class WebModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Only the upload forms: every other form stays urlencoded.
    consumer.apply(multipartUpload).forRoutes(
      { path: 'incidents/:id/roster/upload', method: RequestMethod.POST },
      { path: 'incidents/:id/roster/returned-mail-file', method: RequestMethod.POST },
      { path: 'incidents/:id/evidence', method: RequestMethod.POST },
    );
  }
}
