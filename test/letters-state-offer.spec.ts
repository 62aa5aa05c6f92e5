import { DocumentInputs, letterFor, noticeModel } from '../src/domain/letters/documents';
import { createIncidentMachine } from '../src/domain/lifecycle/incident.machine';
import { startIncident } from '../src/domain/lifecycle/incident-snapshot';
import { parseRosterRow, RosterPerson } from '../src/domain/roster/roster';
import { LetterTemplates } from '../src/letters/letter-templates';
import { shippedPack } from './factories/facts';

/** The offer a state adds to the letter (Mass. Gen. Laws ch. 93H, 3A: 18 months when SSNs were involved). */

const machine = createIncidentMachine(shippedPack);
const context = (dataElements: string[]) => startIncident(machine, {
  reference: 'BF-2026-0031', summary: 'Billing export e-mailed to the wrong address',
  facts: { discovery: { date: '2026-03-02' }, entity: { type: 'covered_entity', state: 'MA' }, dataElements, affected: { total: 40, byJurisdiction: { MA: 30, NH: 10 } } } as never,
}).context;

const inputs = (dataElements: string[]): DocumentInputs => ({
  practiceName: 'Harborview Dental',
  contact: { tollFreePhone: '1-800-555-0142', email: 'privacy@harborview.example' },
  content: {
    whatHappened: 'A billing export was e-mailed to the wrong address.', breachDates: { start: '2026-02-28' }, phiTypes: ['name', 'ssn'],
    stepsForIndividuals: 'Watch your credit reports.', whatWeAreDoing: 'We asked the recipient to delete it and changed our process.',
  },
  context: context(dataElements),
  today: '2026-03-20',
});

const row = (over: Record<string, string>) => {
  const parsed = parseRosterRow({ name: 'Ada Quill', state: 'MA', address1: '4 Pier Rd', city: 'Salem', postal_code: '01970', ...over }, 2);
  if (!('person' in parsed)) throw new Error(JSON.stringify(parsed.errors));
  return parsed.person;
};

describe('a state-required credit-monitoring offer in the letter', () => {
  const tpl = new LetterTemplates('/nonexistent-override');
  const render = (dataElements: string[], p: RosterPerson) => {
    const n = noticeModel(inputs(dataElements));
    if (!n.ok) throw new Error('fixture incomplete');
    const { variant, model } = letterFor(n.model, p);
    return tpl.render(variant, model);
  };

  it('prints the 18 months and the person\'s enrollment code for a Massachusetts resident', () => {
    const text = render(['name', 'ssn'], row({ enrollment_code: 'MA-7Q2-X91' }));
    expect(text).toContain('## An offer Massachusetts law requires');
    expect(text).toContain('We are offering you 18 months of credit monitoring services at no cost to you. To enroll, use your personal enrollment code: MA-7Q2-X91.');
  });

  it('without a code in the roster, says one will follow', () => {
    expect(render(['name', 'ssn'], row({}))).toContain('We will send you an enrollment code');
  });

  it('not for a New Hampshire resident, nor when no SSN was involved', () => {
    expect(render(['name', 'ssn'], row({ state: 'NH' }))).not.toContain('An offer');
    expect(render(['name', 'medical'], row({}))).not.toContain('An offer');
  });

  it('the roster column is optional and checked without echoing the value', () => {
    expect(row({}).enrollmentCode).toBeUndefined();
    const bad = parseRosterRow({ name: 'Ada Quill', state: 'MA', enrollment_code: 'not a code!' }, 7);
    expect(bad).toEqual({ errors: [{ path: 'row 7, enrollment_code', message: 'must be 1 to 64 letters, digits or dashes' }] });
  });
});
