import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig } from '../config/config';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
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

  constructor(url: string, rejectUnauthorized: boolean) {
    // Pooled: one connection reused across messages (a fresh connection costs about 100 ms here).
    this.transporter = createTransport({ url, pool: true, maxConnections: 1, tls: { rejectUnauthorized }, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 } as never);
    // The URL may carry a password: only its host is ever shown.
    this.description = `SMTP at ${new URL(url).host}`;
  }

  async send(mail: OutgoingMail): Promise<void> {
    await this.transporter.sendMail(mail);
  }

  close(): void {
    this.transporter.close();
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
    const info = (await this.transporter.sendMail(mail)) as { message: Buffer };
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const name = mail.messageId.replace(/[^A-Za-z0-9.@_-]/g, '');
    writeFileSync(join(this.dir, `${name}.eml`), info.message, { mode: 0o600 });
  }

  close(): void {
    this.transporter.close();
  }
}

export function createMailTransport(config: AppConfig): MailTransport {
  return config.smtpUrl ? new SmtpTransport(config.smtpUrl, config.smtpTlsRejectUnauthorized) : new EmlFileTransport(config.outboxDir);
}
