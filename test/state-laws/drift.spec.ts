import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { shippedPack } from '../factories/facts';
import { hasStatute, StateRule, Threshold } from '../../src/domain/rules/rule-pack';

/**
 * The rule pack against the researched digest (test/fixtures/state-laws.json, a copy of the
 * design workspace's state-laws.json): for every field both hold, they must agree, so neither can
 * drift from the other silently. A deliberate difference is listed below with its reason.
 */

interface DigestEntry {
  name: string;
  citation: string;
  medical_info_covered: 'yes' | 'no' | 'partial';
  individual_notice: { type: 'fixed' | 'expedient'; days: number | null; day_type: string | null; trigger: string; text: string };
  regulator_notice: { to: string | null; threshold: string | null; deadline: string | null };
  cra_notice_threshold: string;
  hipaa_deemed: string;
  confidence: string;
  health_specific_overlay: string | null;
  notes: string;
  changed_2026_12?: string[];
  [field: string]: unknown;
}

const digest: Record<string, DigestEntry> = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'state-laws.json'), 'utf8'));

/** Deliberate differences, each with its reason. */
const NO_REGULATOR_OBLIGATION: Record<string, string> = {
  AK: 'the Attorney General is told only when no notice is given (a no-harm determination): the pack carries it as a note',
};

const entries = Object.entries(digest).map(([code, d]) => {
  const rule = shippedPack.states[code as keyof typeof shippedPack.states];
  if (!rule || !hasStatute(rule)) throw new Error(`${code}: the digest has a statute the pack lacks`);
  return [code, d, rule] as [string, DigestEntry, StateRule];
});

/** The longest token of a citation that holds a digit, without its parenthesised subsections. */
function sectionOf(statute: string): string {
  const tokens = statute.replace(/\([^)]*\)/g, ' ').split(/[\s,]+/).filter((t) => /\d/.test(t));
  return tokens.sort((a, b) => b.length - a.length)[0] ?? '';
}

function citedBy(section: string, citation: string): boolean {
  if (citation.includes(section)) return true;
  const parent = section.replace(/[.:-][^.:-]+$/, '');
  if (parent !== section && citation.includes(parent)) return true;
  const n = Number(section);
  return [...citation.matchAll(/(\d+)\s*(?:-|to)\s*(\d+)/g)].some((m) => Number(m[1]) <= n && n <= Number(m[2]));
}

function thresholdOf(text: string | null): Threshold | 'none' | 'any' {
  if (!text || /^none/i.test(text)) return 'none';
  const m = /^(>=|>)\s*([\d,]+)/.exec(text) ?? /^([\d,]+) or more/.exec(text);
  if (!m) return 'any';
  return m.length === 3 ? { comparison: m[1] as '>' | '>=', residents: Number(m[2].replace(/,/g, '')) } : { comparison: '>=', residents: Number(m[1].replace(/,/g, '')) };
}

function covered(rule: StateRule): string[] {
  return [...rule.personalInformation.withName, ...rule.personalInformation.alone];
}

describe('the rule pack against the digest (test/fixtures/state-laws.json)', () => {
  it('holds every jurisdiction of the digest, and only AS and MP besides, as having no statute', () => {
    const extra = Object.keys(shippedPack.states).filter((c) => !(c in digest));
    expect(extra.sort()).toEqual(['AS', 'MP']);
  });

  it.each(entries)('%s: name, statute section, confidence and HIPAA deemer agree', (code, d, rule) => {
    expect(rule.name.replace(/^the /, '')).toBe(d.name.replace(/^the /, ''));
    expect(citedBy(sectionOf(rule.statute), d.citation)).toBe(true);
    expect(rule.confidence).toBe(d.confidence);
    expect(rule.individualNotice?.hipaaDeemedCompliance).toBe(d.hipaa_deemed);
    const recalled = JSON.stringify({ ...d, sources: undefined, changed_2026_12: undefined }).match(/recalled|from memory/gi);
    if (recalled) expect(rule.recalled.length).toBeGreaterThan(0);
    if (rule.confidence !== 'high') expect(rule.verifyReason).toEqual(expect.any(String));
  });

  it.each(entries)('%s: medical and health insurance information are covered as the digest says', (_code, d, rule) => {
    const elements = covered(rule);
    if (d.medical_info_covered === 'yes') expect(elements).toContain('medical');
    if (d.medical_info_covered === 'no') expect(elements.filter((e) => e === 'medical' || e === 'health_insurance')).toEqual([]);
    if (d.medical_info_covered === 'partial') {
      expect(elements).toContain('health_insurance');
      expect(elements).not.toContain('medical');
    }
  });

  it.each(entries)('%s: the individual clock agrees (days, unit, from what)', (_code, d, rule) => {
    const clock = rule.individualNotice?.clock ?? null;
    if (d.individual_notice.type === 'expedient') {
      expect(clock).toBeNull();
      return;
    }
    expect(clock).toMatchObject({ days: d.individual_notice.days, unit: d.individual_notice.day_type });
    const fromDetermination = /determination|confirmation/.test(d.individual_notice.trigger) && !/discovery/.test(d.individual_notice.trigger);
    expect(clock?.from).toBe(fromDetermination ? 'determination' : 'discovery');
  });

  it.each(entries)('%s: regulator notices, thresholds and fixed clocks agree', (code, d, rule) => {
    const none = !d.regulator_notice.to || /^none/i.test(d.regulator_notice.to);
    if (none || code in NO_REGULATOR_OBLIGATION) {
      expect(rule.regulators).toEqual([]);
      return;
    }
    expect(rule.regulators.length).toBeGreaterThan(0);
    const t = thresholdOf(d.regulator_notice.threshold);
    expect(rule.regulators[0].threshold ?? 'any').toEqual(t === 'none' ? 'any' : t);
    const deadline = (d.regulator_notice.deadline ?? '').split('(')[0]; // not the asides in parentheses
    const fixed = /within (\d+) (business |calendar )?days/.exec(deadline);
    if (fixed) {
      expect(rule.regulators.map((r) => [r.clock.days, r.clock.unit])).toContainEqual([Number(fixed[1]), fixed[2]?.trim() === 'business' ? 'business' : 'calendar']);
    }
    if (/^(before|prior to) notifying/.test(deadline)) expect(rule.regulators.map((r) => r.clock.relation)).toContain('before');
  });

  it.each(entries)('%s: the consumer reporting agency threshold agrees', (_code, d, rule) => {
    const t = thresholdOf(d.cra_notice_threshold);
    if (t === 'none') expect(rule.consumerReportingAgencies).toBeNull();
    else expect(rule.consumerReportingAgencies?.threshold ?? 'any').toEqual(t);
  });

  it.each(entries)('%s: vendor clocks, credit monitoring and health laws the digest names are in the pack', (_code, d, rule) => {
    const text = [d.individual_notice.text, d.notes, ...(d.changed_2026_12 ?? [])].join(' ');
    if (/[Vv]endor\/maintainer: notify (the )?owner(?: or licensee)? immediately following discovery/.test(text)) {
      expect(rule.serviceProviderNotice?.clock).toMatchObject({ from: 'discovery', days: 0 });
    }
    const months = /(\d+) (months?|years?) (of )?(credit monitoring|identity[- ]theft)/.exec(d.notes ?? '');
    if (months) expect(rule.creditMonitoring?.months).toBe(Number(months[1]) * (months[2].startsWith('year') ? 12 : 1));
    if (d.health_specific_overlay?.includes('1280.15')) expect(rule.healthLaws.map((h) => h.name)).toContain('Cal. Health & Safety Code 1280.15');
  });
});
