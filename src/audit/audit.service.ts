import { Injectable } from '@nestjs/common';
import { TransactionRunner } from '../persistence/transaction-runner';
import { ChainReport, verifyAuditChain } from './audit-trail';

@Injectable()
export class AuditService {
  constructor(private readonly runner: TransactionRunner) {}

  verify(): Promise<ChainReport> {
    return this.runner.read((m) => verifyAuditChain(m));
  }
}
