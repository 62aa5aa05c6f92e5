import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { execute, selectOne } from '../persistence/sql';

/** SQL of the Idempotency-Key table: a change's answer kept under the key it came with. */
@Injectable()
export class IdempotencyKeyRepository {
  async find(m: EntityManager, incidentId: string, key: string): Promise<{ request_hash: string; response: string } | null> {
    return selectOne(m, 'SELECT "request_hash", "response" FROM "idempotency_key" WHERE "incident_id" = $1 AND "key" = $2', [incidentId, key]);
  }

  async insert(m: EntityManager, incidentId: string, key: string, requestHash: string, response: string, at: string): Promise<void> {
    await execute(m, 'INSERT INTO "idempotency_key" ("incident_id", "key", "request_hash", "response", "created_at") VALUES ($1, $2, $3, $4, $5)',
      [incidentId, key, requestHash, response, at]);
  }
}
