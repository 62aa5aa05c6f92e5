import { DATA_ELEMENTS, DataElement, JURISDICTIONS, Jurisdiction } from '../domain/rules/facts';
import { jurisdictionName } from '../domain/rules/jurisdiction-names';
import { ELEMENT_WORDS } from '../domain/rules/state/triggers';
import { FieldError } from '../domain/validation';

/**
 * The report form's "where do they live" rows and "what data was involved" boxes, read into the
 * contract's facts: several states with a count each (the rest "don't know"), and the data
 * elements in plain words. Problems name the form's field; nothing is dispatched with one.
 */

export type Form = Record<string, unknown>;

/** Row 1 keeps the names `state` and `stateCount`; rows 2.. add their number. */
export const STATE_ROWS = 5;
const rowKeys = (n: number) => (n === 1 ? ['state', 'stateCount'] : [`state${n}`, `stateCount${n}`]);

export interface StateRowView {
  n: number;
  stateName: string;
  countName: string;
  stateId: string;
  countId: string;
  count: string;
  options: { value: Jurisdiction; label: string; selected: boolean }[];
}

export function stateRows(form: Form): StateRowView[] {
  return Array.from({ length: STATE_ROWS }, (_, i) => {
    const n = i + 1;
    const [stateName, countName] = rowKeys(n);
    const chosen = typeof form[stateName] === 'string' ? form[stateName] : '';
    return {
      n, stateName, countName, stateId: n === 1 ? 'state' : `state-${n}`, countId: n === 1 ? 'state-count' : `state-count-${n}`,
      count: typeof form[countName] === 'string' ? (form[countName] as string) : '',
      options: JURISDICTIONS.map((value) => ({ value, label: `${value} - ${jurisdictionName(value).replace(/^the /, '')}`, selected: chosen === value })),
    };
  });
}

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function chosenElements(form: Form): string[] {
  const v = form.data;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : [];
}

/** Some statutes cover data the list has no word for: saying what keeps it from being left unticked. */
const OTHER_LABEL = "Other data (for example a mother's maiden name, a signature, DNA or genetic data, tax records)";

export function dataBoxes(form: Form): { value: string; label: string; checked: boolean }[] {
  const chosen = chosenElements(form);
  return [
    ...DATA_ELEMENTS.map((e) => ({ value: e, label: e === 'other' ? OTHER_LABEL : capitalized(ELEMENT_WORDS[e]), checked: chosen.includes(e) })),
    { value: 'unknown', label: "Don't know yet", checked: chosen.includes('unknown') },
  ];
}

export interface ReportFacts {
  byJurisdiction?: Partial<Record<Jurisdiction, number>>;
  dataElements?: DataElement[];
  /** The state most patients live in, for the practice's own state when none is set. */
  mainState?: Jurisdiction;
  errors: FieldError[];
}

export function readReportForm(form: Form, total: unknown): ReportFacts {
  const errors: FieldError[] = [];
  const rows: [Jurisdiction, number | undefined, number][] = [];
  for (let n = 1; n <= STATE_ROWS; n++) {
    const [sKey, cKey] = rowKeys(n);
    const state = typeof form[sKey] === 'string' ? (form[sKey] as string) : '';
    const countText = typeof form[cKey] === 'string' ? (form[cKey] as string).trim() : '';
    const where = n === 1 ? 'Where they live' : `Where they live, row ${n}`;
    if (!state) {
      if (countText) errors.push({ path: where, message: 'a count needs its state' });
      continue;
    }
    if (!(JURISDICTIONS as readonly string[]).includes(state)) {
      errors.push({ path: where, message: 'is not a state, DC or territory' });
      continue;
    }
    if (rows.some(([s]) => s === state)) errors.push({ path: where, message: `${state} is listed twice` });
    if (countText && !/^\d+$/.test(countText)) errors.push({ path: `${where}: how many`, message: 'must be a whole number' });
    rows.push([state as Jurisdiction, countText && /^\d+$/.test(countText) ? Number(countText) : undefined, n]);
  }
  const byJurisdiction: Partial<Record<Jurisdiction, number>> = {};
  for (const [state, count, n] of rows) {
    if (count !== undefined) byJurisdiction[state] = count;
    else if (rows.length === 1 && typeof total === 'number') byJurisdiction[state] = total; // one state, no count: all of them
    else errors.push({ path: `${n === 1 ? 'Where they live' : `Where they live, row ${n}`}: how many`, message: `say how many live in ${state} (the rest count as "don't know")` });
  }
  const chosen = chosenElements(form);
  const unknownData = chosen.includes('unknown') || chosen.length === 0;
  const bad = chosen.filter((e) => e !== 'unknown' && !(DATA_ELEMENTS as readonly string[]).includes(e));
  if (bad.length) errors.push({ path: 'What information was involved', message: 'has an option this form does not offer' });
  if (chosen.includes('unknown') && chosen.length > 1) errors.push({ path: 'What information was involved', message: `choose the kinds of data, or "Don't know yet", not both` });
  const main = rows.slice().sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0]?.[0];
  return {
    ...(rows.length ? { byJurisdiction } : {}),
    ...(unknownData ? {} : { dataElements: chosen as DataElement[] }),
    ...(main ? { mainState: main } : {}),
    errors,
  };
}
