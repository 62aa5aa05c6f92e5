import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { JURISDICTIONS } from '../src/domain/rules/facts';
import { planFromInput } from '../src/domain/rules/plan';
import { shippedPack } from './factories/facts';

/**
 * Every breach of 500 or more that HHS OCR published 2009-2024 (public data), turned into facts:
 * the total from "Individuals Affected", every resident in the entity's State, discovery on the
 * submission date. The portal does not publish discovery dates, so this checks that real inputs
 * plan, not which dates they got.
 */

type Row = Record<string, string>;

const rows: Row[] = parse(readFileSync(join(__dirname, 'fixtures', 'hhs-ocr', 'breach-archive-2009-2024.csv')), {
  columns: true,
  relax_quotes: true,
});

function toFacts(row: Row): Record<string, unknown> {
  const [month, day, year] = row['Breach Submission Date'].split('/');
  const count = row['Individuals Affected'].trim();
  const state = row.State.trim();
  const total = count === '' ? undefined : Number(count);
  return {
    discovery: { date: `${year}-${month}-${day}` },
    entity: { type: 'covered_entity', ...((JURISDICTIONS as readonly string[]).includes(state) ? { state } : {}) },
    affected: {
      ...(total !== undefined ? { total } : {}),
      byJurisdiction: state && total !== undefined ? { [state]: total } : {},
      insufficientContact: 0,
    },
  };
}

describe('the HHS OCR breach archive, 2009-2024', () => {
  const results = rows.map((row) => ({ row, result: planFromInput(toFacts(row), shippedPack) }));
  const usable = results.filter(({ row }) => row['Individuals Affected'].trim() !== '');
  const missing = results.filter(({ row }) => row['Individuals Affected'].trim() === '');

  it('has all 5,371 rows', () => {
    expect(rows).toHaveLength(5371);
  });

  it('plans every row with a count without error, each on the HHS 500-or-more track', () => {
    const failures = usable.filter(({ result }) => !result.ok);
    expect(failures.map(({ row, result }) => [row['Name of Covered Entity'], result.ok ? null : result.errors])).toEqual([]);
    const tracks = usable.map(({ result }) => (result.ok ? result.value.obligations.find((o) => o.audience === 'hhs')?.track : 'invalid'));
    expect(new Set(tracks)).toEqual(new Set(['with_individual_notice']));
    expect(usable.length).toBe(5370);
  });

  it('gives media notice exactly where a state had more than 500', () => {
    for (const { row, result } of usable) {
      if (!result.ok) continue;
      const expected = Number(row['Individuals Affected']) > 500 && (JURISDICTIONS as readonly string[]).includes(row.State) ? [row.State] : [];
      expect(result.value.obligations.filter((o) => o.audience === 'media').map((o) => o.jurisdiction)).toEqual(expected);
    }
  });

  it('fails validation on the row without a count, naming affected.total', () => {
    expect(missing).toHaveLength(1);
    const [{ result }] = missing;
    expect(result.ok ? [] : result.errors).toEqual([{ path: 'affected.total', message: expect.stringMatching(/is required/) }]);
  });
});
