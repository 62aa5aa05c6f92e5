import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { AttachmentRepository } from './attachment.repository';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsService } from './attachments.service';

@Module({
  imports: [IncidentsModule],
  controllers: [AttachmentsController],
  providers: [AttachmentsService, AttachmentRepository],
  exports: [AttachmentsService],
})
export class AttachmentsModule {}
