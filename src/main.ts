import 'reflect-metadata';
import { relative } from 'node:path';
import { createApp } from './app';
import { SetupService } from './auth/setup.service';
import { MAIL_TRANSPORT, MailTransport } from './reminders/mail-transport';
import { AddressInfo } from 'node:net';
import { baseUrl, ConfigError, loadConfig, loadRulePack, PROJECT_ROOT } from './config/config';

async function main(): Promise<void> {
  const config = loadConfig();
  const rulePack = loadRulePack(config.rulePackPath);
  const app = await createApp({ config, rulePack });
  await app.listen(config.port, config.host);
  const url = baseUrl(config, (app.getHttpServer().address() as AddressInfo).port);
  const db = config.databasePath === ':memory:' ? ':memory:' : relative(process.cwd(), config.databasePath) || config.databasePath;
  process.stdout.write(
    `breachflow is running at ${url}\n` +
    `  health:    ${url}/api/health\n` +
    `  plan API:  POST ${url}/api/plan\n` +
    `  database:  ${db} (migrated)\n` +
    `  rule pack: ${rulePack.version} (${relative(PROJECT_ROOT, config.rulePackPath)})\n` +
    `  mail:      ${config.smtpUrl ? app.get<MailTransport>(MAIL_TRANSPORT).description : `no SMTP_URL set: each reminder is written as an .eml file in ${relative(process.cwd(), config.outboxDir) || config.outboxDir}`}\n` +
    `  settings:  set the owner and privacy officer emails with PUT ${url}/api/settings\n`,
  );
  const setup = await app.get(SetupService).setupSecret();
  process.stdout.write(setup
    ? `\nNo users yet. Create the first administrator with this one-time link:\n  ${url}/setup?token=${setup}\n(or from the shell: npx breachflow user add --email you@practice.example --name "Your Name" --role admin)\n`
    : `  sign in:   ${url}/login\n`);
}

main().catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
  } else {
    process.stderr.write(`breachflow failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  }
  process.exit(1);
});
