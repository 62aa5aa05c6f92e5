import { addDays, LocalDate } from '../rules/calendar';
import { Jurisdiction } from '../rules/facts';
import { formatCount } from '../rules/format';
import { jurisdictionName } from '../rules/jurisdiction-names';
import { DocumentInputs, longDate, NoticeModel } from './documents';

/** The notices to the public: substitute notice (164.404(d)(2)) and the media notice (164.406). */

export interface SubstituteModel extends NoticeModel {
  form: 'alternative' | 'web_or_media_with_toll_free';
  unreachable: string;
  postingStartText: string;
  postingEndText: string;
  citation: string;
}

/** Substitute notice (164.404(d)(2)): the 90-day web posting and media notice, or the alternative for 1 to 9. */
export function substituteModel(notice: NoticeModel, i: DocumentInputs, postingStart: LocalDate): { ok: true; model: SubstituteModel } | { ok: false; reason: string } {
  const o = i.context.plan.obligations.find((x) => x.regime === 'HIPAA' && x.audience === 'substitute_notice');
  if (!o?.form) return { ok: false, reason: 'the plan has no substitute notice: every individual can be reached by mail or email (45 CFR 164.404(d)(2))' };
  return {
    ok: true,
    model: {
      ...notice,
      form: o.form,
      unreachable: formatCount(i.context.facts.affected.insufficientContact ?? 0),
      postingStartText: longDate(postingStart),
      postingEndText: longDate(addDays(postingStart, 90)),
      citation: o.citation,
    },
  };
}

export interface MediaModel extends NoticeModel {
  jurisdiction: string;
  residents: string;
  citation: string;
}

/** A press release for one state or jurisdiction with more than 500 residents affected (164.406). */
export function mediaModel(notice: NoticeModel, i: DocumentInputs, jurisdiction: Jurisdiction): { ok: true; model: MediaModel } | { ok: false; reason: string } {
  const o = i.context.plan.obligations.find((x) => x.regime === 'HIPAA' && x.audience === 'media' && x.jurisdiction === jurisdiction);
  const residents = i.context.facts.affected.byJurisdiction?.[jurisdiction] ?? 0;
  if (!o) return { ok: false, reason: `no media notice is required for ${jurisdiction}: ${formatCount(residents)} residents affected, and 45 CFR 164.406 asks for one only above 500` };
  return { ok: true, model: { ...notice, jurisdiction: jurisdictionName(jurisdiction), residents: formatCount(residents), citation: o.citation } };
}
