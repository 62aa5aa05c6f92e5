import { ConflictException, Inject, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../auth/actor';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { letterFor, NoticeModel } from '../domain/letters/documents';
import { mailingCostEvent } from '../domain/letters/mailing-rates';
import { isLocalDate } from '../domain/rules/calendar';
import { formatCount } from '../domain/rules/format';
import { deliveryOf } from '../domain/roster/roster';
import { Checker } from '../domain/validation';
import { IncidentsService } from '../incidents/incidents.service';
import { TransactionRunner } from '../persistence/transaction-runner';
import { messageIdFor } from '../reminders/reminder-sweeper.service';
import { PHI_CIPHER, PhiCipher } from '../roster/phi-cipher';
import { RosterService } from '../roster/roster.service';
import { SettingsService } from '../settings/settings.service';
import { BatchView } from './batch-view';
import { LetterBatchRepository } from './letter-batch.repository';
import { OutboxRepository, SealedNoticeEmail } from '../reminders/outbox.repository';
import { LetterTemplates, markupToHtml, plainText } from './letter-templates';
import { NoticeInputs } from './notice-inputs.service';
import { patientFrom } from './patient-from';

/** What "mark sent" asks for: the date mailed, and the hold's confirmation when one applies. */
interface SentBody { sentOn: string; holdConfirmed?: true; holdReason?: string }

/**
 * A batch that went out: the emails for people who agreed to electronic notice are queued, and the
 * proof is recorded on the individuals' obligation (date, method, count), in one transaction.
 */
@Injectable()
export class BatchMailingService {
  constructor(
    private readonly runner: TransactionRunner,
    private readonly incidents: IncidentsService,
    private readonly roster: RosterService,
    private readonly noticeInputs: NoticeInputs,
    private readonly settings: SettingsService,
    private readonly batchRows: LetterBatchRepository,
    private readonly outbox: OutboxRepository,
    @Inject(PHI_CIPHER) private readonly cipher: PhiCipher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  checkSent(body: unknown): SentBody {
    const c = new Checker();
    const o = c.object(body, '', ['sentOn', 'holdConfirmed', 'holdReason']);
    if (o && !isLocalDate(o.sentOn)) c.fail('sentOn', `must be the date the letters were mailed, written YYYY-MM-DD; got ${JSON.stringify(o.sentOn)}`);
    if (o && isLocalDate(o.sentOn) && o.sentOn > this.noticeInputs.today()) c.fail('sentOn', 'is in the future');
    // Letters mailed during a law-enforcement hold: the same confirmation notice.sent asks for (164.412).
    const confirmed = o?.holdConfirmed === undefined ? undefined : c.boolean(o.holdConfirmed, 'holdConfirmed');
    const held = confirmed ? { holdConfirmed: true as const, holdReason: c.string(o!.holdReason, 'holdReason') } : {};
    if (!c.ok) throw new UnprocessableEntityException({ errors: c.errors });
    return { sentOn: o!.sentOn as string, ...held };
  }

  async markSent(id: string, b: BatchView, actor: Actor, body: SentBody): Promise<void> {
    if (b.status !== 'done') throw new ConflictException({ errors: [{ path: 'batchId', message: `the batch is ${b.status}; only a generated batch can be marked sent` }] });
    if (b.sentOn) throw new ConflictException({ errors: [{ path: 'batchId', message: `the batch was already marked sent on ${b.sentOn}` }] });
    const tpl = this.noticeInputs.templates();
    await this.runner.transaction(async (m) => {
      // The incident locked first (PostgreSQL): the roster and the proof cannot change under the
      // emails queued here. Checked again inside the unit of work: of concurrent requests, one marks it, the others get 409.
      const i = await this.noticeInputs.inputs(m, id, true);
      const fresh = await this.batchRows.byId(m, b.id);
      if (!fresh || fresh.status !== 'done' || fresh.sent_on) throw new ConflictException({ errors: [{ path: 'batchId', message: fresh?.sent_on ? `the batch was already marked sent on ${fresh.sent_on}` : `the batch is ${fresh?.status}; only a generated batch can be marked sent` }] });
      const notice = this.noticeInputs.notice(i);
      const now = this.clock.now().toISOString();
      const emails = await this.queueEmails(m, id, b.id, notice, i.contact.email, tpl, now);
      const method = [b.letters ? `first-class mail (${formatCount(b.letters)} letters)` : '', emails ? `email (${formatCount(emails)}, to people who agreed to electronic notice)` : '']
        .filter(Boolean).join(' and ');
      const proof = { key: 'HIPAA/individuals', sentOn: body.sentOn, method, count: b.letters + emails, reference: `letter batch ${b.id}` };
      const { holdConfirmed, holdReason } = body;
      const held = holdConfirmed ? { holdConfirmed, holdReason } : {};
      const individuals = i.context.tracking['HIPAA/individuals'];
      if (individuals?.status === 'done' && individuals.proof) {
        // A later mailing (people added after the first was sent) is further proof on the same
        // obligation: recorded once per batch (the machine refuses the same batch twice).
        await this.incidents.dispatchIn(m, id, actor, { type: 'notice.furtherMailing', key: proof.key, sentOn: body.sentOn, method, count: proof.count, batchId: b.id, ...held });
      } else {
        await this.incidents.dispatchIn(m, id, actor, { type: 'notice.sent', ...proof, ...held });
      }
      // Its postage and printing enter the claim ledger by themselves (insurance region, audited as
      // this person's), once: a retried "mark sent" is refused above, and the ledger refuses a second
      // entry for the same batch.
      const rates = (await this.settings.read(m)).mailingRates;
      if (rates && b.letters > 0) await this.incidents.dispatchIn(m, id, actor, mailingCostEvent(b, rates, body.sentOn));
      if (!(await this.batchRows.markSent(m, b.id, body.sentOn))) throw new ConflictException({ errors: [{ path: 'batchId', message: 'the batch was marked sent at the same time by another request' }] });
    });
  }

  /** The batch's notice emails, sealed, queued in slices of 200; answers how many. */
  private async queueEmails(m: EntityManager, id: string, batchId: string, notice: NoticeModel, practiceEmail: string | undefined, tpl: LetterTemplates, now: string): Promise<number> {
    const pending: SealedNoticeEmail[] = [];
    let emails = 0;
    const from = patientFrom(notice.practiceName, practiceEmail, this.config.smtpFrom);
    const subject = `Notice of a data breach at ${notice.practiceName}`;
    for await (const page of this.roster.people(id, batchId, m)) {
      for (const { seq, person, returnedOn } of page) {
        if (deliveryOf(person, returnedOn !== null) !== 'email') continue;
        const { variant, model } = letterFor(notice, person);
        const { text } = tpl.renderIn(variant, model, person.language);
        const key = `notice/${batchId}/${seq}`;
        pending.push({
          key, messageId: messageIdFor(key), incidentIds: JSON.stringify([id]), subject: `Breach notice email to person ${seq}`, at: now,
          sealed: this.cipher.seal({ from, to: person.email, subject, text: plainText(text), html: markupToHtml(text, subject) }, `outbox/${key}`),
        });
        emails++;
        if (pending.length >= 200) await this.outbox.queueSealed(m, pending.splice(0));
      }
    }
    await this.outbox.queueSealed(m, pending);
    return emails;
  }
}
