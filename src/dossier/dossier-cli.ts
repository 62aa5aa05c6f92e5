import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Actor } from '../auth/actor';
import { JobInputError, JobIo, resolveIncident, withApp } from '../cli-jobs';
import { AppConfig } from '../config/config';
import { auditTrailCheck } from './audit-jsonl';
import { verifyDossier } from './dossier-verify';
import { DossierService } from './dossier.service';

export const EXIT_DOSSIER_BROKEN = 3;

/** `breachflow dossier export REF --out FILE.zip`: the ZIP, owner-only; prints the manifest's hash to keep apart. */
export async function dossierExportCommand(config: AppConfig, io: JobIo, incident: string, options: { out: string; actor: string }): Promise<number> {
  const out = resolve(options.out);
  if (!out.endsWith('.zip')) throw new JobInputError(['--out: give a file name ending in .zip']);
  if (existsSync(out)) throw new JobInputError([`--out: ${out} exists already; give a new file name`]);
  return withApp(config, async (app) => {
    const id = await resolveIncident(app, incident);
    const actor: Actor = { id: `${options.actor} (command line)`, via: 'cli' };
    const done = await app.get(DossierService).exportTo(id, actor, out);
    io.stdout(`dossier of ${done.reference}: ${out} (owner-only, ${done.files} files)\n`);
    io.stdout(`manifest SHA-256: ${done.manifestSha256}\n`);
    io.stdout('keep this hash apart from the ZIP: `breachflow dossier verify FILE --manifest-sha256 HASH` proves the ZIP is the one exported\n');
    return 0;
  });
}

/** `breachflow dossier verify FILE.zip`: offline, no database; exit 3 naming the first file or event that does not match. */
export async function dossierVerifyCommand(io: JobIo, file: string, options: { manifestSha256?: string; auditKey?: string }): Promise<number> {
  if (options.manifestSha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.manifestSha256)) {
    throw new JobInputError(['--manifest-sha256: must be 64 hexadecimal characters, as `dossier export` printed it']);
  }
  if (!existsSync(file)) throw new JobInputError([`${file}: no such file`]);
  const key = options.auditKey === undefined ? undefined : readAuditKey(options.auditKey);
  let report;
  try {
    report = await verifyDossier(file, [auditTrailCheck(key)], options.manifestSha256);
  } catch (err) {
    io.stderr(`dossier BROKEN: ${file} cannot be read as a ZIP (${(err as Error).message})\n`);
    return EXIT_DOSSIER_BROKEN;
  }
  if (report.intact) {
    const signed = key ? ', and every event and the signed checkpoint hold under the audit key' : ' against the practice\'s checkpoint';
    io.stdout(`dossier intact: ${report.reference}, ${report.files} files match the manifest, the audit trail's chain holds${signed}\n`);
    return 0;
  }
  const [first, ...rest] = report.problems;
  io.stderr(`dossier BROKEN at ${first.where}: ${first.message}\n`);
  for (const p of rest) io.stderr(`  also ${p.where}: ${p.message}\n`);
  return EXIT_DOSSIER_BROKEN;
}

/** The practice's audit key file (base64 of 32 bytes, as breachflow writes audit.key). */
function readAuditKey(path: string): Buffer {
  if (!existsSync(path)) throw new JobInputError([`--audit-key: ${path}: no such file`]);
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  if (key.length !== 32) throw new JobInputError(['--audit-key: not an audit key (the file holds 32 bytes as base64, like audit.key)']);
  return key;
}
