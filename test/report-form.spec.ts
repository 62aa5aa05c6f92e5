import { readReportForm, stateRows, dataBoxes } from '../src/web/report-form';

/** The report form's several states with a count each, and the kinds of data in plain words. */
describe('the report form intake', () => {
  it('several states with a count each; the rest are "don\'t know"', () => {
    const r = readReportForm({ state: 'NJ', stateCount: '30', state2: 'NY', stateCount2: '12', data: ['name', 'ssn'] }, 60);
    expect(r).toEqual({ byJurisdiction: { NJ: 30, NY: 12 }, dataElements: ['name', 'ssn'], mainState: 'NJ', errors: [] });
  });

  it('one state without a count: all of them live there (the old single-state form)', () => {
    expect(readReportForm({ state: 'NY' }, 40)).toEqual({ byJurisdiction: { NY: 40 }, mainState: 'NY', errors: [] });
  });

  it('no boxes ticked, or "Don\'t know yet": no dataElements, so every state law that could apply is planned', () => {
    expect(readReportForm({ data: 'unknown' }, 5).dataElements).toBeUndefined();
    expect(readReportForm({}, 5).dataElements).toBeUndefined();
  });

  it('names the field of every problem, in the form\'s words', () => {
    const r = readReportForm({ state: 'NJ', state2: 'NJ', stateCount2: '3', stateCount3: '4', state4: 'XX', data: ['unknown', 'ssn', 'shoe_size'] }, 10);
    expect(r.errors).toEqual([
      { path: 'Where they live, row 2', message: 'NJ is listed twice' },
      { path: 'Where they live, row 3', message: 'a count needs its state' },
      { path: 'Where they live, row 4', message: 'is not a state, DC or territory' },
      { path: 'Where they live: how many', message: 'say how many live in NJ (the rest count as "don\'t know")' },
      { path: 'What information was involved', message: 'has an option this form does not offer' },
      { path: 'What information was involved', message: 'choose the kinds of data, or "Don\'t know yet", not both' },
    ]);
  });

  it('offers every state and the contract\'s data vocabulary in plain words', () => {
    expect(stateRows({ state2: 'PR' })[1].options.find((o) => o.selected)?.label).toBe('PR - Puerto Rico');
    expect(dataBoxes({ data: 'health_insurance' }).filter((b) => b.checked).map((b) => b.label)).toEqual(['Insurance member or policy numbers']);
    expect(dataBoxes({}).map((b) => b.label)).toEqual(expect.arrayContaining(['Social Security numbers', 'Diagnoses or treatment (medical information)', "Don't know yet"]));
  });
});
