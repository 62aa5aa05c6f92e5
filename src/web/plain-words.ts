import { FieldError } from '../domain/validation';

/** The incident's steps as people say them ("safe-harbor check", not `safeHarborCheck`). */
export const STEP_NAMES: Record<string, string> = {
  reported: 'reported', triage: 'triage', containment: 'containment', safeHarborCheck: 'safe-harbor check', riskAssessment: 'risk assessment',
  notification: 'notification', notReportable: 'not reportable', closed: 'closed', active: 'in progress',
};

export function stepName(phase: string): string {
  return (Object.hasOwn(STEP_NAMES, phase) ? STEP_NAMES[phase] : null) ?? phase.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

const NUMBERS = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];

/** "5" as "Five" at the head of a sentence (up to ten), else the digits. */
export function countWord(n: number): string {
  return NUMBERS[n] ?? String(n);
}

/**
 * A refusal as a sentence a person reads: no field path (`changes.discovery.date`), but the
 * field's label from the form where there is one, and the service's message as it is.
 */
export function plainErrors(errors: FieldError[], labels: Record<string, string> = {}): { message: string }[] {
  return errors.map((e) => {
    // A path may name a field the form sent (`constructor`): only the labels' own keys count.
    const label = (Object.hasOwn(labels, e.path) ? labels[e.path] : null) ?? rowColumn(e.path);
    const message = e.message.replace(/^missing: /, 'Missing: ');
    return { message: label ? `${label}: ${message}` : capitalise(message) };
  });
}

/** A roster problem's place: "row 4, state" as "Row 4, column state". */
function rowColumn(path: string): string | null {
  const m = /^row (\d+), (\w+)$/.exec(path);
  if (m) return `Row ${m[1]}, column ${m[2]}`;
  const h = /^header(?:, column (\d+))?$/.exec(path);
  if (h) return h[1] ? `Header row, column ${h[1]}` : 'Header row';
  return /^row \d+$/.test(path) ? capitalise(path) : null;
}

function capitalise(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
