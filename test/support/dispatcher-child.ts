import 'reflect-metadata';
import { createApp } from '../../src/app';
import { FixedClock } from '../../src/clock/clock';
import { loadConfig, loadRulePack } from '../../src/config/config';
import { MailDispatcher } from '../../src/reminders/mail-dispatcher.service';
import { ReminderSweeper } from '../../src/reminders/reminder-sweeper.service';

/** A reminder worker in its own process: sweep, then send everything due, then exit. */
async function main(): Promise<void> {
  const config = { ...loadConfig(), reminderPollSeconds: 0 };
  const clock = new FixedClock(new Date(process.env.CLOCK_AT!));
  const app = await createApp({ config, rulePack: loadRulePack(config.rulePackPath), clock, logger: false });
  await app.init();
  await app.get(ReminderSweeper).sweep(clock.now());
  process.stdout.write('swept\n');
  const result = await app.get(MailDispatcher).dispatchDue();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  await app.close();
}

void main();
