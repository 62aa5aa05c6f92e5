import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { LettersModule } from '../letters/letters.module';
import { Views } from './views';
import { WebController } from './web.controller';

@Module({
  imports: [IncidentsModule, LettersModule, AuditModule],
  controllers: [WebController],
  providers: [Views],
})
export class WebModule {}
