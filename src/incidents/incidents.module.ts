import { Module } from '@nestjs/common';
import { IncidentRepository } from './incident.repository';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { PackChangeController } from './pack-change.controller';
import { PackChangeService } from './pack-change.service';

@Module({
  controllers: [IncidentsController, PackChangeController],
  providers: [IncidentsService, IncidentRepository, PackChangeService],
  exports: [IncidentsService],
})
export class IncidentsModule {}
