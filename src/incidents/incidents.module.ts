import { Module } from '@nestjs/common';
import { PlanNewsService } from '../notify/plan-news.service';
import { IncidentRepository } from './incident.repository';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';

@Module({
  controllers: [IncidentsController],
  providers: [IncidentsService, IncidentRepository, PlanNewsService],
  exports: [IncidentsService],
})
export class IncidentsModule {}
