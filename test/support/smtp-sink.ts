import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SmtpSinkOptions {
  /** Addresses refused for good (550 at RCPT TO). */
  refuse?: string[];
  /** Answer the next N messages with a temporary 451 at DATA. */
  failNext?: number;
  /** Milliseconds to wait before accepting each message. */
  delayMs?: number;
  /** Offer STARTTLS (smtp-server's own self-signed certificate). */
  starttls?: boolean;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 that keeps what it receives, parsed by mailparser. */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  private server!: SMTPServer;
  port = 0;

  constructor(public options: SmtpSinkOptions = {}) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: this.options.starttls ? ['AUTH'] : ['STARTTLS', 'AUTH'],
      disableReverseLookup: true,
      logger: false,
      onRcptTo: (address, _session, cb) => {
        if (this.options.refuse?.includes(address.address)) {
          const err = Object.assign(new Error('mailbox unavailable'), { responseCode: 550 });
          cb(err);
          return;
        }
        cb();
      },
      onData: (stream, _session, cb) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', async () => {
          if (this.options.failNext && this.options.failNext > 0) {
            this.options.failNext -= 1;
            cb(Object.assign(new Error('try again later'), { responseCode: 451 }));
            return;
          }
          if (this.options.delayMs) await new Promise((r) => setTimeout(r, this.options.delayMs));
          const mail = await simpleParser(Buffer.concat(chunks));
          const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? '');
          this.received.push({ messageId: mail.messageId ?? '', to, subject: mail.subject ?? '', text: mail.text ?? '', html: typeof mail.html === 'string' ? mail.html : '' });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
