import { Global, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { AppConfig, ConfigError } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { TransactionRunner } from '../persistence/transaction-runner';
import { loadPhiCipher, PHI_CIPHER, PhiCipher, phiKeyPath } from './phi-cipher';
import { PhiKeyCheckRepository } from './phi-key-check.repository';
import { RosterController } from './roster.controller';
import { RosterCorrectionsService } from './roster-corrections.service';
import { RosterFactsService } from './roster-facts.service';
import { RosterImportRepository } from './roster-import.repository';
import { RosterImportService } from './roster-import.service';
import { RosterPersonRepository } from './roster-person.repository';
import { RosterService } from './roster.service';

const CHECK = 'breachflow phi key check';

/** Refuses to start with a key other than the one the database's PHI was sealed with. */
@Injectable()
class PhiKeyCheck implements OnModuleInit {
  constructor(private readonly runner: TransactionRunner, private readonly checks: PhiKeyCheckRepository, @Inject(PHI_CIPHER) private readonly cipher: PhiCipher, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    await this.runner.transaction(async (m) => {
      const sealed = await this.checks.sealed(m);
      if (sealed === null) {
        await this.checks.insert(m, this.cipher.seal(CHECK, 'key-check'));
        return;
      }
      try {
        if (this.cipher.open<string>(sealed, 'key-check') === CHECK) return;
      } catch {
        // falls through to the error below
      }
      throw new ConfigError([`the PHI key (${this.config.phiKey ? 'PHI_KEY' : phiKeyPath(this.config)}) is not the key this database's roster was sealed with; restore the original key`]);
    });
  }
}

/** The cipher that seals PHI, for every module that stores or sends it. */
@Global()
@Module({
  providers: [{ provide: PHI_CIPHER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadPhiCipher(config).cipher }, PhiKeyCheckRepository, PhiKeyCheck],
  exports: [PHI_CIPHER],
})
export class PhiModule {}

@Module({
  imports: [IncidentsModule],
  controllers: [RosterController],
  providers: [RosterService, RosterImportService, RosterCorrectionsService, RosterFactsService, RosterPersonRepository, RosterImportRepository],
  exports: [RosterService, RosterPersonRepository],
})
export class RosterModule {}
