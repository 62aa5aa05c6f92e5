import { Checker } from '../validation';

/**
 * How long copies that hold PHI are kept once they did their work: the letters' PDFs and mailing
 * manifest (days after the batch was marked sent) and the .eml copies of patients' emails (days
 * after the message was sent). Null keeps them (the default). What 45 CFR 164.530(j) asks a practice
 * to keep for six years (the proof of each notice, the counts, each file's SHA-256, the audit trail)
 * is never removed: only the copies.
 */
export interface RetentionSettings {
  letterFilesDays: number | null;
  emlFilesDays: number | null;
}

export const RETENTION_DEFAULTS: RetentionSettings = { letterFilesDays: null, emlFilesDays: null };

/** At least a month (returned mail and re-mailing need the files), at most ten years. */
export const RETENTION_MIN_DAYS = 30;
export const RETENTION_MAX_DAYS = 3650;

export function checkRetention(c: Checker, v: unknown, path: string): Partial<RetentionSettings> | undefined {
  const o = c.object(v, path, ['letterFilesDays', 'emlFilesDays']);
  if (!o) return undefined;
  const out: Partial<RetentionSettings> = {};
  for (const key of ['letterFilesDays', 'emlFilesDays'] as const) {
    const d = o[key];
    if (d === undefined) continue;
    if (d === null) { out[key] = null; continue; }
    if (typeof d !== 'number' || !Number.isInteger(d) || d < RETENTION_MIN_DAYS || d > RETENTION_MAX_DAYS) {
      c.fail(`${path}.${key}`, `must be a whole number of days from ${RETENTION_MIN_DAYS} to ${RETENTION_MAX_DAYS}, or null to keep the files`);
      continue;
    }
    out[key] = d;
  }
  return out;
}

/** The instant before which something sent is past its retention: `days` before now. */
export function retentionCutoff(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}
