import { AppConfig } from '../config/config';
import { JobInputError, JobIo, resolveIncident, withApp } from '../cli-jobs';
import { clientErrors } from '../http-errors.filter';
import { RedactionService } from './redaction.service';

/** `breachflow audit redact REF --seq N --field F --why W`: the same redaction as the API, audited with the actor. */
export async function auditRedactCommand(config: AppConfig, io: JobIo, incident: string, options: { seq: string; field: string; why: string; actor: string }): Promise<number> {
  return withApp(config, async (app) => {
    const id = await resolveIncident(app, incident);
    try {
      const req = RedactionService.check({ seq: Number(options.seq), field: options.field, why: options.why });
      const r = await app.get(RedactionService).redact(id, req, `${options.actor} (command line)`);
      io.stdout(`redacted ${r.field} of event #${r.seq} (${r.replaced} stored copies replaced by a tombstone); recorded as event #${r.redactionSeq}\n`);
      return 0;
    } catch (e) {
      const errors = clientErrors(e);
      if (errors) throw new JobInputError(errors.map((x) => `--${x.path}: ${x.message}`));
      throw e;
    }
  });
}
