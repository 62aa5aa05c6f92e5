import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { RosterModule } from '../roster/roster.module';
import { LettersController } from './letters.controller';
import { LettersService } from './letters.service';

@Module({
  imports: [IncidentsModule, RosterModule],
  controllers: [LettersController],
  providers: [LettersService],
  exports: [LettersService],
})
export class LettersModule {}
