import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Incident references (BF-2026-0001) come from a counter row per year prefix, incremented by an
 * upsert in the transaction that reports the incident: two reports at once on two instances get
 * two numbers (counting the incidents, as before, gave both the same one). Seeded with the highest
 * number each prefix already has.
 */
export class IncidentReferenceCounter1764000000070 implements MigrationInterface {
  name = 'IncidentReferenceCounter1764000000070';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "incident_reference_counter" (
      "prefix" varchar PRIMARY KEY NOT NULL,
      "last" integer NOT NULL
    )`);
    await q.query(`INSERT INTO "incident_reference_counter" ("prefix", "last")
      SELECT substr("reference", 1, 8), MAX(CAST(substr("reference", 9) AS integer)) FROM "incident"
      WHERE "reference" LIKE 'BF-____-%' GROUP BY substr("reference", 1, 8)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE "incident_reference_counter"`);
  }
}
