import { Module, OnApplicationShutdown, Inject } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AppConfig } from '../config/config';
import { APP_CONFIG } from '../config/config.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { EmailRenderer } from './email-renderer';
import { MailDispatcher } from './mail-dispatcher.service';
import { createMailTransport, MAIL_TRANSPORT, MailTransport } from './mail-transport';
import { OutboxRepository } from './outbox.repository';
import { ReminderRepository } from './reminder.repository';
import { ReminderSweeper } from './reminder-sweeper.service';
import { ReminderTimer } from './reminder-timer.service';

@Module({
  imports: [ScheduleModule.forRoot(), IncidentsModule],
  providers: [
    EmailRenderer,
    ReminderSweeper,
    MailDispatcher,
    ReminderTimer,
    ReminderRepository,
    OutboxRepository,
    { provide: MAIL_TRANSPORT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createMailTransport(config) },
  ],
  exports: [ReminderSweeper, MailDispatcher, MAIL_TRANSPORT, OutboxRepository, ReminderRepository],
})
export class RemindersModule implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: MailTransport) {}

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
