import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module';
import { ClaimModule } from '../claim/claim.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { LettersModule } from '../letters/letters.module';
import { DossierController } from './dossier.controller';
import { DossierRepository } from './dossier.repository';
import { DossierService } from './dossier.service';

@Module({
  imports: [IncidentsModule, AttachmentsModule, LettersModule, ClaimModule],
  controllers: [DossierController],
  providers: [DossierService, DossierRepository],
  exports: [DossierService],
})
export class DossierModule {}
