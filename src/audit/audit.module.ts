import { Inject, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { PHI_CIPHER, PhiCipher } from '../roster/phi-cipher';
import { AuditExportController } from './audit-export.controller';
import { AuditExportService } from './audit-export.service';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';
import { registerFreeTextCipher } from './free-text';
import { RedactionController } from './redaction.controller';
import { RedactionService } from './redaction.service';

@Module({ controllers: [AuditController, AuditExportController, RedactionController], providers: [AuditService, AuditExportService, RedactionService], exports: [AuditService, AuditExportService, RedactionService] })
export class AuditModule {
  /** Binds the PHI cipher to this app's connection as the module is built, before anything appends to the trail. */
  constructor(db: DataSource, @Inject(PHI_CIPHER) cipher: PhiCipher) {
    registerFreeTextCipher(db, cipher);
  }
}
