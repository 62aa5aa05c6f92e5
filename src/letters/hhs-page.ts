import { HhsReport } from '../domain/letters/hhs-report';

/**
 * The HHS report as a person reads it: the portal's questions in its own words (not the JSON's
 * `coveredEntity street1`), what is still missing and where to fill it in.
 */
const LABELS: Record<string, string> = {
  'general.reportType': 'Report type',
  'general.breachAffecting': 'Breach affecting',
  'contact.filerRole': 'Who is filing',
  'contact.coveredEntity.name': 'Name of covered entity',
  'contact.coveredEntity.street1': 'Street address (line 1)',
  'contact.coveredEntity.street2': 'Street address (line 2)',
  'contact.coveredEntity.city': 'City',
  'contact.coveredEntity.state': 'State',
  'contact.coveredEntity.zip': 'ZIP code',
  'contact.pointOfContact.name': 'Point of contact: name',
  'contact.pointOfContact.email': 'Point of contact: email',
  'contact.pointOfContact.phone': 'Point of contact: phone',
  'contact.coveredEntityType': 'Type of covered entity',
  'breach.breachStartDate': 'Breach start date',
  'breach.breachEndDate': 'Breach end date',
  'breach.discoveryStartDate': 'Discovery start date',
  'breach.discoveryEndDate': 'Discovery end date',
  'breach.approximateNumberOfIndividualsAffected': 'Approximate number of individuals affected',
  'breach.typeOfBreach': 'Type of breach',
  'breach.locationOfBreachedInformation': 'Location of breached information',
  'breach.typeOfPHIInvolved': 'Type of protected health information involved',
  'breach.otherPHI': 'Other PHI involved',
  'breach.briefDescription': 'Brief description of the breach',
  'breach.safeguardsInPlacePriorToBreach': 'Safeguards in place prior to the breach',
  'noticeOfBreachAndActionsTaken.individualNoticeStartDate': 'Individual notice provided: start date',
  'noticeOfBreachAndActionsTaken.individualNoticeProjectedCompletionDate': 'Individual notice: (projected) completion date',
  'noticeOfBreachAndActionsTaken.wasSubstituteNoticeRequired': 'Was substitute notice required?',
  'noticeOfBreachAndActionsTaken.wasMediaNoticeRequired': 'Was media notice required?',
  'noticeOfBreachAndActionsTaken.actionsTakenInResponse': 'Actions taken in response to the breach',
};

/** Where each missing answer is filled in, in the app's words. */
const FILL_IN: Record<string, string> = {
  'settings.practiceName': 'Practice settings: practice name',
  'settings.contact.postalAddress': 'Practice settings: postal address',
  'settings.contact.contactPersonName': 'Practice settings: contact person',
  'settings.contact.contactPersonEmail': 'Practice settings: contact person\'s email',
  'settings.contact.contactPersonPhone': 'Practice settings: contact person\'s phone',
  'settings.contact.entityType': 'Practice settings: type of covered entity',
  'noticeContent.coveredEntityName': 'Letter text: the covered entity notified',
  'noticeContent.typeOfBreach': 'Letter text: type of breach',
  'noticeContent.locations': 'Letter text: where the information was',
  'noticeContent.phiTypes': 'Letter text: what information was involved',
  'noticeContent.whatHappened': 'Letter text: what happened',
  'noticeContent.safeguardsInPlace': 'Letter text: safeguards in place before the breach',
  'noticeContent.actionsTaken': 'Letter text: actions taken',
};

export interface HhsPage {
  reference: string;
  dateText: string;
  report: HhsReport;
  sections: { title: string; rows: { label: string; value: string; missing: boolean }[] }[];
  missing: string[];
}

const show = (v: unknown): string => (v === null || v === undefined || (Array.isArray(v) && !v.length) ? '(missing)'
  : Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? `${(x as { group: string }).group}: ${(x as { option: string }).option}` : String(x))).join('; ') : String(v));

export function labelOf(field: string): string {
  return LABELS[field] ?? field;
}

/** "noticeContent.breachDates (the portal requires ...)" as "Letter text: breachDates (...)": the known prefix in words. */
function fillInWords(fillIn: string): string {
  const [key, ...rest] = fillIn.split(' ');
  const head = key.replace(/:$/, '');
  const words = FILL_IN[head] ?? (head.startsWith('noticeContent.') ? 'Letter text: when it happened' : head);
  return [words, ...rest].join(' ');
}

export function hhsPage(reference: string, dateText: string, report: HhsReport): HhsPage {
  const missing = new Set(report.missing.map((m) => m.field));
  const section = (title: string, key: string, o: object) => ({
    title,
    rows: Object.entries(o).flatMap(([k, v]) => (v && typeof v === 'object' && !Array.isArray(v)
      ? Object.entries(v).map(([k2, v2]) => ({ label: labelOf(`${key}.${k}.${k2}`), value: show(v2), missing: missing.has(`${key}.${k}.${k2}`) }))
      : [{ label: labelOf(`${key}.${k}`), value: show(v), missing: missing.has(`${key}.${k}`) }])),
  });
  return {
    reference, dateText, report,
    sections: [
      section('General', 'general', report.general), section('Contact', 'contact', report.contact), section('Breach', 'breach', report.breach),
      section('Notice of breach and actions taken', 'noticeOfBreachAndActionsTaken', report.noticeOfBreachAndActionsTaken),
    ],
    missing: report.missing.map((m) => `${labelOf(m.field)}: ${fillInWords(m.fillIn)}`),
  };
}

/** The same page in the letters' markup, for the PDF. */
export function hhsMarkup(p: HhsPage): string {
  const lines = [`# HIPAA breach report for the OCR portal`, `Incident ${p.reference}, prepared ${p.dateText}.`, p.report.citation, ''];
  for (const s of p.sections) {
    lines.push(`## ${s.title}`);
    for (const r of s.rows) lines.push(`- ${r.label}: ${r.value}`);
    lines.push('');
  }
  if (p.missing.length) {
    lines.push('## Still to fill in before filing');
    for (const m of p.missing) lines.push(`- ${m}`);
    lines.push('');
  }
  lines.push('## Verify', ...p.report.verify.map((v) => `- ${v}`), '', '## Attestation', p.report.attestation, '');
  return lines.join('\n');
}
