import { IncidentFacts } from '../../src/domain/rules/facts';
import { loadRulePack } from '../../src/config/config';
import { join } from 'node:path';

/** The shipped rule pack, read the way the server reads it. */
export const shippedPack = loadRulePack(join(__dirname, '..', '..', 'config', 'state-rules.json'));

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> | T[K] : T[K] };

/** A covered entity's breach of 100 Minnesota residents' names and medical information (which
 *  Minnesota's statute does not cover, so only HIPAA applies) discovered 2026-03-02, with overrides. */
export function facts(over: DeepPartial<IncidentFacts> = {}): IncidentFacts {
  return {
    discovery: { date: '2026-03-02' },
    entity: { type: 'covered_entity' },
    exception: null,
    riskAssessment: null,
    dataElements: ['name', 'medical'],
    ...over,
    affected: {
      total: 100,
      byJurisdiction: { MN: 100 },
      insufficientContact: 0,
      ...(over.affected ?? {}),
    },
  } as IncidentFacts;
}
