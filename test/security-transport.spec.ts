import request from 'supertest';
import { loadConfig } from '../src/config/config';
import { createMailTransport } from '../src/reminders/mail-transport';
import { SmtpSink } from './support/smtp-sink';
import { startTestApp } from './support/test-app';

/** Issue 12, item 10: HSTS and upgrade-insecure-requests only over https; patients' email only after STARTTLS unless allowed. */
describe('transmission security', () => {
  it('over plain http: no HSTS and no upgrade-insecure-requests (the login form must post back to http)', async () => {
    const t = await startTestApp();
    try {
      const res = await request(t.app.getHttpServer()).get('/login').expect(200);
      expect(res.headers['strict-transport-security']).toBeUndefined();
      expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    } finally {
      await t.close();
    }
  });

  it('behind a TLS proxy (PUBLIC_URL=https://...): HSTS and upgrade-insecure-requests', async () => {
    const t = await startTestApp(undefined, { publicUrl: 'https://breach.clinic.example' });
    try {
      const res = await request(t.app.getHttpServer()).get('/login').set('X-Forwarded-Proto', 'https').expect(200);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['content-security-policy']).toContain('upgrade-insecure-requests');
    } finally {
      await t.close();
    }
  });

  it("a patient's notice goes only after STARTTLS; SMTP_ALLOW_PLAIN lets it go plain; staff mail goes either way", async () => {
    const plain = await new SmtpSink().start();
    const tls = await new SmtpSink({ starttls: true }).start();
    const mail = { from: 'breachflow <bf@clinic.test>', to: 'pat@mail.example', subject: 'Notice', text: 'x', html: '<p>x</p>', messageId: '<m1@breachflow>' };
    const base = { ...loadConfig({}), smtpTlsRejectUnauthorized: false };
    const strict = createMailTransport({ ...base, smtpUrl: plain.url });
    const secure = createMailTransport({ ...base, smtpUrl: tls.url });
    const allowed = createMailTransport({ ...base, smtpUrl: plain.url, smtpAllowPlain: true });
    try {
      expect(strict.description).toContain("patients' notices only after STARTTLS");
      await expect(strict.send({ ...mail, requireTls: true })).rejects.toThrow(/STARTTLS/i);
      await strict.send({ ...mail, messageId: '<m2@breachflow>' }); // a staff reminder
      await secure.send({ ...mail, messageId: '<m3@breachflow>', requireTls: true });
      await allowed.send({ ...mail, messageId: '<m4@breachflow>', requireTls: true });
      expect(plain.received.map((m) => m.messageId).sort()).toEqual(['<m2@breachflow>', '<m4@breachflow>']);
      expect(tls.received.map((m) => m.messageId)).toEqual(['<m3@breachflow>']);
    } finally {
      for (const t of [strict, secure, allowed]) t.close();
      await plain.stop();
      await tls.stop();
    }
  }, 30_000);
});
