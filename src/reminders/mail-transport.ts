import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/config';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** A patient's notice: over smtp:// it goes only after STARTTLS (unless plain SMTP is allowed explicitly). */
  requireTls?: boolean;
}

/** Where mail goes: an SMTP server, or .eml files for a newcomer without one. */
export interface MailTransport {
  readonly description: string;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');

/** An SMTP error that retrying will not fix (a 5xx answer: bad address, refused for good). */
export function isPermanentFailure(e: unknown): boolean {
  const code = (e as { responseCode?: unknown })?.responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

class SmtpTransport implements MailTransport {
  readonly description: string;
  private readonly transporter: Transporter;
  /** For patients' notices over smtp://: the same server, refusing to send before STARTTLS. */
  private tlsOnly: Transporter | null = null;

  constructor(private readonly url: string, private readonly rejectUnauthorized: boolean, private readonly allowPlainForPatients: boolean) {
    // Pooled: one connection reused across messages (a fresh connection costs about 100 ms here).
    this.transporter = this.make(false);
    // The URL may carry a password: only its host is ever shown.
    this.description = `SMTP at ${new URL(url).host}${url.startsWith('smtps:') ? ' (TLS)' : allowPlainForPatients ? ' (patients\' notices may go without TLS: SMTP_ALLOW_PLAIN)' : ' (patients\' notices only after STARTTLS)'}`;
  }

  private make(requireTLS: boolean): Transporter {
    return createTransport({ url: this.url, pool: true, maxConnections: 1, requireTLS, tls: { rejectUnauthorized: this.rejectUnauthorized }, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
  }

  async send(mail: OutgoingMail): Promise<void> {
    const { requireTls, ...message } = mail;
    const strict = requireTls && !this.allowPlainForPatients && this.url.startsWith('smtp:');
    await (strict ? (this.tlsOnly ??= this.make(true)) : this.transporter).sendMail(message);
  }

  close(): void {
    this.transporter.close();
    this.tlsOnly?.close();
  }
}

/** Writes each message as an .eml file (owner-only: it names staff and incidents). */
class EmlFileTransport implements MailTransport {
  readonly description: string;
  private readonly transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(private readonly dir: string) {
    this.description = `.eml files in ${dir}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    const { requireTls: _local, ...message } = mail;
    const info = (await this.transporter.sendMail(message)) as { message: Buffer };
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const name = mail.messageId.replace(/[^A-Za-z0-9.@_-]/g, '');
    writeFileSync(join(this.dir, `${name}.eml`), info.message, { mode: 0o600 });
  }

  close(): void {
    this.transporter.close();
  }
}

export function createMailTransport(config: AppConfig): MailTransport {
  if (!config.smtpUrl) return new EmlFileTransport(config.outboxDir);
  if (config.smtpAllowPlain && config.smtpUrl.startsWith('smtp:')) {
    new Logger('Mail').warn('SMTP_ALLOW_PLAIN is set: patients\' breach notices may cross the network unencrypted if the mail server offers no STARTTLS');
  }
  return new SmtpTransport(config.smtpUrl, config.smtpTlsRejectUnauthorized, config.smtpAllowPlain);
}
