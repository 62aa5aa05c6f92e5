import { IncidentContext } from '../lifecycle/incident.types';
import { LocalDate } from '../rules/calendar';
import { ACTIONS, BREACH_TYPES, LOCATIONS, NoticeContent, PHI_TYPES, PracticeContact, SAFEGUARDS } from './notice-content';

/**
 * The HIPAA breach report as the OCR portal asks for it (45 CFR 164.408), field for field. Values the
 * product does not know are listed in `missing` with where to fill them in; the enumerations not
 * yet checked against the portal are named in `verify`, to be checked against the portal's current PDF.
 */
export interface HhsReport {
  citation: string;
  general: { reportType: 'Initial Breach Report' | 'Addendum to Previous Report'; breachAffecting: '500 or More Individuals' | 'Fewer Than 500 Individuals' };
  contact: {
    filerRole: 'Covered entity filing for its own organization' | 'Business associate filing on behalf of a covered entity';
    coveredEntity: { name: string | null; street1: string | null; street2: string | null; city: string | null; state: string | null; zip: string | null };
    pointOfContact: { name: string | null; email: string | null; phone: string | null };
    coveredEntityType: string | null;
  };
  breach: {
    breachStartDate: LocalDate | null;
    breachEndDate: LocalDate | null;
    discoveryStartDate: LocalDate;
    discoveryEndDate: LocalDate;
    approximateNumberOfIndividualsAffected: number;
    typeOfBreach: string[];
    locationOfBreachedInformation: string[];
    typeOfPHIInvolved: { group: string; option: string }[];
    otherPHI: string | null;
    briefDescription: string | null;
    safeguardsInPlacePriorToBreach: string[];
  };
  noticeOfBreachAndActionsTaken: {
    individualNoticeStartDate: LocalDate | null;
    individualNoticeProjectedCompletionDate: LocalDate | null;
    wasSubstituteNoticeRequired: 'Yes' | 'No';
    wasMediaNoticeRequired: 'Yes' | 'No';
    actionsTakenInResponse: string[];
  };
  attestation: string;
  missing: { field: string; fillIn: string }[];
  verify: string[];
}

export function hhsReport(ctx: IncidentContext, content: NoticeContent, practiceName: string | null, contact: PracticeContact): HhsReport {
  const { facts, plan, tracking } = ctx;
  const hhs = plan.obligations.find((o) => o.regime === 'HIPAA' && o.audience === 'hhs');
  const individuals = tracking['HIPAA/individuals'];
  const dates = content.breachDates;
  const report: HhsReport = {
    citation: `45 CFR 164.408${hhs ? `: ${hhs.why}` : ''}`,
    general: {
      reportType: hhs && tracking[hhs.key]?.earlier?.length ? 'Addendum to Previous Report' : 'Initial Breach Report',
      breachAffecting: facts.affected.total >= 500 ? '500 or More Individuals' : 'Fewer Than 500 Individuals',
    },
    contact: {
      filerRole: facts.entity.type === 'business_associate' ? 'Business associate filing on behalf of a covered entity' : 'Covered entity filing for its own organization',
      coveredEntity: {
        name: facts.entity.type === 'business_associate' ? content.coveredEntityName ?? null : practiceName,
        street1: contact.postalAddress?.line1 ?? null, street2: contact.postalAddress?.line2 ?? null, city: contact.postalAddress?.city ?? null,
        state: contact.postalAddress?.state ?? null, zip: contact.postalAddress?.postalCode ?? null,
      },
      pointOfContact: { name: contact.contactPersonName ?? null, email: contact.contactPersonEmail ?? null, phone: contact.contactPersonPhone ?? null },
      coveredEntityType: contact.entityType ?? null,
    },
    breach: {
      breachStartDate: dates && dates !== 'unknown' ? dates.start : null,
      breachEndDate: dates && dates !== 'unknown' ? dates.end ?? dates.start : null,
      discoveryStartDate: plan.discoveryDate,
      discoveryEndDate: content.discoveryEnd ?? plan.discoveryDate,
      approximateNumberOfIndividualsAffected: facts.affected.total,
      typeOfBreach: (content.typeOfBreach ?? []).map((t) => BREACH_TYPES[t]),
      locationOfBreachedInformation: (content.locations ?? []).map((l) => LOCATIONS[l]),
      typeOfPHIInvolved: (content.phiTypes ?? []).map((t) => ({ group: PHI_TYPES[t][0], option: PHI_TYPES[t][1] })),
      otherPHI: content.otherPhi ?? null,
      briefDescription: content.whatHappened ?? null,
      safeguardsInPlacePriorToBreach: (content.safeguardsInPlace ?? []).map((s) => SAFEGUARDS[s]),
    },
    noticeOfBreachAndActionsTaken: {
      individualNoticeStartDate: individuals?.earlier?.[0]?.sentOn ?? individuals?.proof?.sentOn ?? null,
      individualNoticeProjectedCompletionDate: individuals?.proof?.sentOn ?? plan.obligations.find((o) => o.key === 'HIPAA/individuals')?.dueOn ?? null,
      wasSubstituteNoticeRequired: plan.obligations.some((o) => o.regime === 'HIPAA' && o.audience === 'substitute_notice') ? 'Yes' : 'No',
      wasMediaNoticeRequired: plan.obligations.some((o) => o.regime === 'HIPAA' && o.audience === 'media') ? 'Yes' : 'No',
      actionsTakenInResponse: (content.actionsTaken ?? []).map((a) => ACTIONS[a]),
    },
    attestation: 'The filer acknowledges that OCR may release this information under FOIA (5 U.S.C. 552; 45 CFR Part 5), that breaches of 500 or more are posted publicly (HITECH 13402(e)(4)), and that OCR uses the data in its annual report to Congress (13402(i)). The portal asks for the filer\'s name and the date.',
    missing: [],
    verify: [
      'The portal\'s sub-options for type of PHI, the three Security Rule safeguard options and the actions-taken list are unverified (OCR breach portal, 45 CFR 164.408): check them against the current "Breach Portal Questions" PDF before filing.',
      ...(hhs?.verify ? [hhs.verifyReason ?? 'The HHS obligation is flagged: verify with counsel.'] : []),
    ],
  };
  const need = (value: unknown, field: string, fillIn: string) => {
    if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) report.missing.push({ field, fillIn });
  };
  const ce = report.contact.coveredEntity;
  need(ce.name, 'contact.coveredEntity.name', facts.entity.type === 'business_associate' ? 'noticeContent.coveredEntityName' : 'settings.practiceName');
  need(ce.street1, 'contact.coveredEntity.street1', 'settings.contact.postalAddress');
  need(report.contact.pointOfContact.name, 'contact.pointOfContact.name', 'settings.contact.contactPersonName');
  need(report.contact.pointOfContact.email, 'contact.pointOfContact.email', 'settings.contact.contactPersonEmail');
  need(report.contact.pointOfContact.phone, 'contact.pointOfContact.phone', 'settings.contact.contactPersonPhone');
  need(report.contact.coveredEntityType, 'contact.coveredEntityType', 'settings.contact.entityType');
  need(report.breach.breachStartDate ?? (dates === 'unknown' ? undefined : null), 'breach.breachStartDate', 'noticeContent.breachDates (the portal requires the dates; an unknown date needs a best estimate)');
  need(report.breach.typeOfBreach, 'breach.typeOfBreach', 'noticeContent.typeOfBreach');
  need(report.breach.locationOfBreachedInformation, 'breach.locationOfBreachedInformation', 'noticeContent.locations');
  need(report.breach.typeOfPHIInvolved.length || report.breach.otherPHI ? 'x' : null, 'breach.typeOfPHIInvolved', 'noticeContent.phiTypes');
  need(report.breach.briefDescription, 'breach.briefDescription', 'noticeContent.whatHappened');
  need(report.breach.safeguardsInPlacePriorToBreach, 'breach.safeguardsInPlacePriorToBreach', 'noticeContent.safeguardsInPlace');
  need(report.noticeOfBreachAndActionsTaken.actionsTakenInResponse, 'noticeOfBreachAndActionsTaken.actionsTakenInResponse', 'noticeContent.actionsTaken');
  if (dates === 'unknown') report.missing.push({ field: 'breach.breachStartDate', fillIn: 'noticeContent.breachDates: the portal requires start and end dates; give your best estimate' });
  return report;
}

/** The annual log's columns (breaches under 500, reported within 60 days of the year's end, 164.408(c)). */
export const ANNUAL_LOG_COLUMNS = [
  'reference', 'discovery_date', 'breach_start', 'breach_end', 'individuals', 'type_of_breach', 'location', 'type_of_phi',
  'safeguards', 'individual_notice_date', 'actions_taken', 'hhs_due_on', 'hhs_status',
] as const;

export function annualLogRow(ctx: IncidentContext, content: NoticeContent): Record<(typeof ANNUAL_LOG_COLUMNS)[number], string> {
  const r = hhsReport(ctx, content, null, {});
  const hhs = ctx.plan.obligations.find((o) => o.regime === 'HIPAA' && o.audience === 'hhs');
  return {
    reference: ctx.reference,
    discovery_date: r.breach.discoveryStartDate,
    breach_start: r.breach.breachStartDate ?? 'unknown',
    breach_end: r.breach.breachEndDate ?? 'unknown',
    individuals: String(r.breach.approximateNumberOfIndividualsAffected),
    type_of_breach: r.breach.typeOfBreach.join('; '),
    location: r.breach.locationOfBreachedInformation.join('; '),
    type_of_phi: r.breach.typeOfPHIInvolved.map((t) => `${t.group}: ${t.option}`).concat(r.breach.otherPHI ? [`Other: ${r.breach.otherPHI}`] : []).join('; '),
    safeguards: r.breach.safeguardsInPlacePriorToBreach.join('; '),
    individual_notice_date: r.noticeOfBreachAndActionsTaken.individualNoticeStartDate ?? '',
    actions_taken: r.noticeOfBreachAndActionsTaken.actionsTakenInResponse.join('; '),
    hhs_due_on: hhs?.dueOn ?? '',
    hhs_status: hhs ? ctx.tracking[hhs.key]?.status ?? 'open' : '',
  };
}
