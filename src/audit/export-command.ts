import { writeFileSync } from 'node:fs';
import { JobInputError, JobIo, withApp } from '../cli-jobs';
import { AppConfig } from '../config/config';
import { clientErrors } from '../http-errors.filter';
import { AuditExportService } from './audit-export.service';

/** `breachflow audit export --out FILE [--kind K] [--user U]`: the audit trail as CSV, written owner-only to a new file; audited. */
export async function auditExportCommand(config: AppConfig, io: JobIo, options: { out: string; kind?: string; user?: string; actor: string }): Promise<number> {
  return withApp(config, async (app) => {
    let csv: string;
    try {
      const f = AuditExportService.checkFilter({ kind: options.kind, user: options.user });
      csv = await app.get(AuditExportService).csv(f, { id: `${options.actor} (command line)`, via: 'cli' });
    } catch (e) {
      const errors = clientErrors(e);
      if (errors) throw new JobInputError(errors.map((x) => `--${x.path}: ${x.message}`));
      throw e;
    }
    try {
      writeFileSync(options.out, csv, { mode: 0o600, flag: 'wx' });
    } catch (e) {
      throw new JobInputError([`--out: cannot write ${options.out} (${(e as NodeJS.ErrnoException).code ?? 'error'}; it must be a new file)`]);
    }
    io.stdout(`wrote ${csv.split('\r\n').length - 2} audit rows to ${options.out} (owner-only)\n`);
    return 0;
  });
}
