import { Module } from '@nestjs/common';
import { PlanNewsService } from '../notify/plan-news.service';
import { OutboxRepository } from '../reminders/outbox.repository';
import { IdempotencyKeyRepository } from './idempotency-key.repository';
import { IncidentRepository } from './incident.repository';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { PackChangeController } from './pack-change.controller';
import { PackChangeService } from './pack-change.service';

@Module({
  controllers: [IncidentsController, PackChangeController],
  providers: [IncidentsService, IncidentRepository, IdempotencyKeyRepository, OutboxRepository, PackChangeService, PlanNewsService],
  exports: [IncidentsService, IncidentRepository, OutboxRepository],
})
export class IncidentsModule {}
