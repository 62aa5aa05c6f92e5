import { ACTIONS, BREACH_TYPES, LOCATIONS, NoticeContent, NoticeContentPatch, PHI_TYPES, SAFEGUARDS } from '../domain/letters/notice-content';

/** The letter text's fields, each saved by its own form so a save never touches the others. */
type NoticeField =
  | { name: keyof NoticeContent; label: string; help?: string; kind: 'textarea' | 'text' }
  | { name: keyof NoticeContent; label: string; help?: string; kind: 'checks'; options: [string, string][] }
  | { name: 'breachDates'; label: string; help?: string; kind: 'dates' };

const opts = (o: Record<string, string | readonly string[]>): [string, string][] =>
  Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : v[2]]);

export const NOTICE_FIELDS: NoticeField[] = [
  { name: 'whatHappened', label: 'What happened', help: 'A brief description, with no patient\'s name or details (164.404(c)(1)(A)).', kind: 'textarea' },
  { name: 'breachDates', label: 'When it happened', help: 'The date of the breach, if known (164.404(c)(1)(A)).', kind: 'dates' },
  { name: 'phiTypes', label: 'What information was involved', help: 'The types of information, not the information itself (164.404(c)(1)(B)).', kind: 'checks', options: opts(PHI_TYPES) },
  { name: 'otherPhi', label: 'Other information involved (optional)', kind: 'text' },
  { name: 'stepsForIndividuals', label: 'What people can do to protect themselves', help: '164.404(c)(1)(C).', kind: 'textarea' },
  { name: 'whatWeAreDoing', label: 'What the practice is doing', help: 'To investigate, lessen the harm and prevent it again (164.404(c)(1)(D)).', kind: 'textarea' },
  { name: 'typeOfBreach', label: 'Type of breach (for the HHS report)', kind: 'checks', options: opts(BREACH_TYPES) },
  { name: 'locations', label: 'Where the information was (for the HHS report)', kind: 'checks', options: opts(LOCATIONS) },
  { name: 'safeguardsInPlace', label: 'Safeguards in place before the breach (for the HHS report)', kind: 'checks', options: opts(SAFEGUARDS) },
  { name: 'actionsTaken', label: 'Actions taken in response (for the HHS report)', kind: 'checks', options: opts(ACTIONS) },
];

export const NOTICE_LABELS: Record<string, string> = Object.fromEntries([
  ...NOTICE_FIELDS.map((f) => [f.name, f.label]),
  ['breachDates.start', 'When it happened (first day)'], ['breachDates.end', 'When it happened (last day)'],
]);

const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

/** One field's form as a change of the notice content: an emptied field clears it. */
export function noticePatch(body: Record<string, unknown>): { field: string; patch: NoticeContentPatch | Record<string, unknown> } | null {
  const f = NOTICE_FIELDS.find((x) => x.name === body.field);
  if (!f) return null;
  if (f.kind === 'dates') {
    if (body.unknown !== undefined) return { field: f.name, patch: { breachDates: 'unknown' } };
    const start = typeof body.start === 'string' ? body.start.trim() : '';
    const end = typeof body.end === 'string' ? body.end.trim() : '';
    return { field: f.name, patch: { breachDates: start || end ? { start, ...(end ? { end } : {}) } : null } };
  }
  if (f.kind === 'checks') {
    const values = list(body.values);
    return { field: f.name, patch: { [f.name]: values.length ? values : null } };
  }
  const text = typeof body.value === 'string' ? body.value.trim() : '';
  return { field: f.name, patch: { [f.name]: text || null } };
}

export function noticePage(content: NoticeContent, opts2: { errors?: { message: string }[]; field?: string; missing: string[]; preview: string | null; saved?: string; canAct: boolean }) {
  const dates = content.breachDates;
  return {
    fields: NOTICE_FIELDS.map((f) => ({
      ...f,
      isTextarea: f.kind === 'textarea', isText: f.kind === 'text', isChecks: f.kind === 'checks', isDates: f.kind === 'dates',
      value: typeof content[f.name] === 'string' && f.kind !== 'dates' ? content[f.name] : '',
      start: dates && dates !== 'unknown' ? dates.start : '', end: dates && dates !== 'unknown' ? dates.end ?? '' : '', unknown: dates === 'unknown',
      options: f.kind === 'checks' ? f.options.map(([value, label]) => ({ value, label, checked: ((content[f.name] as string[] | undefined) ?? []).includes(value) })) : [],
      errors: opts2.field === f.name ? opts2.errors : undefined,
      saved: opts2.saved === f.name,
    })),
    missing: opts2.missing,
    preview: opts2.preview,
    canAct: opts2.canAct,
  };
}
