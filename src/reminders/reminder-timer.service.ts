import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock, CLOCK } from '../clock/clock';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { MailDispatcher } from './mail-dispatcher.service';
import { ReminderSweeper } from './reminder-sweeper.service';

/** Runs the sweeper, then the dispatcher, every REMINDER_POLL_SECONDS; one run at a time. */
@Injectable()
export class ReminderTimer implements OnApplicationBootstrap {
  private readonly logger = new Logger('ReminderTimer');
  private running = false;

  constructor(
    private readonly scheduler: SchedulerRegistry,
    private readonly sweeper: ReminderSweeper,
    private readonly dispatcher: MailDispatcher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.reminderPollSeconds === 0) return;
    const timer = setInterval(() => void this.tick(), this.config.reminderPollSeconds * 1000);
    timer.unref();
    this.scheduler.addInterval('reminders', timer);
  }

  async tick(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.sweeper.sweep(this.clock.now());
      await this.dispatcher.dispatchDue();
    } catch (e) {
      this.logger.error(`reminder run failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.running = false;
    }
  }
}
