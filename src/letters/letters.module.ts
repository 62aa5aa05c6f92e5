import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { RosterModule } from '../roster/roster.module';
import { BatchMailingService } from './batch-mailing.service';
import { LetterBatchRepository } from './letter-batch.repository';
import { LetterBatchService } from './letter-batch.service';
import { LetterFileRepository } from './letter-file.repository';
import { LetterRendererService } from './letter-renderer.service';
import { LettersController } from './letters.controller';
import { LettersService } from './letters.service';
import { NoticeContentRepository } from './notice-content.repository';
import { NoticeInputs } from './notice-inputs.service';

@Module({
  imports: [IncidentsModule, RosterModule],
  controllers: [LettersController],
  providers: [
    LettersService, LetterBatchService, LetterRendererService, BatchMailingService, NoticeInputs,
    LetterBatchRepository, LetterFileRepository, NoticeContentRepository,
  ],
  exports: [LettersService],
})
export class LettersModule {}
