import { Global, Inject, Injectable, Module, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadAuditKey, registerAuditKey } from '../audit/audit-key';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { dataSourceOptions, openDataSource } from './data-source-options';
import { JobLeaseRepository } from '../jobs/job-lease.repository';
import { leaseClockProvider, LeaseService } from '../jobs/lease.service';
import { SqliteReader } from './sqlite-reader';
import { TransactionRunner } from './transaction-runner';

/** Loads the audit key (outside the database) and binds it to this app's connection before anything appends. */
@Injectable()
class AuditKeyLoader implements OnModuleInit {
  constructor(private readonly db: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    registerAuditKey(this.db, loadAuditKey(this.config).key);
  }
}

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
      dataSourceFactory: (options) => openDataSource(options!),
    }),
  ],
  providers: [TransactionRunner, SqliteReader, LeaseService, JobLeaseRepository, leaseClockProvider, AuditKeyLoader],
  exports: [TransactionRunner, LeaseService],
})
export class PersistenceModule {}
