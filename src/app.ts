import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import helmet from 'helmet';
import { AppModule } from './app.module';
import { Clock, systemClock } from './clock/clock';
import { AppConfig, LOG_LEVELS } from './config/config';
import { RulePack } from './domain/rules/rule-pack';
import { bodyParserErrors, HttpErrorsFilter } from './http-errors.filter';
import { jsonBounds } from './json-bounds.middleware';

export interface AppOptions {
  config: AppConfig;
  rulePack: RulePack;
  clock?: Clock;
  /** Tests pass false to keep their output quiet. */
  logger?: false;
}

/** Builds the Nest application (the server and the tests build it the same way). */
export async function createApp(options: AppOptions): Promise<INestApplication> {
  const { config } = options;
  const levels: LogLevel[] = LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(config.logLevel) + 1);
  const app = await NestFactory.create(AppModule.forRoot(config, options.rulePack, options.clock ?? systemClock), {
    logger: options.logger === false ? false : levels,
    bodyParser: false,
  });
  // Security headers; the API docs page (Swagger UI) needs inline scripts, the app pages none.
  const strict = helmet();
  const docs = helmet({ contentSecurityPolicy: false });
  app.use((req: { path: string }, res: unknown, next: () => void) => (req.path.startsWith('/api/docs') ? docs : strict)(req as never, res as never, next));
  app.use(json({ limit: '1mb' }), urlencoded({ extended: false, limit: '200kb' }), bodyParserErrors, jsonBounds);
  app.useGlobalFilters(new HttpErrorsFilter());
  const openApi = new DocumentBuilder()
    .setTitle('breachflow')
    .setDescription('HIPAA breach-notification workflow engine: incidents, their notification plan, and the audit trail.')
    .setVersion('0.1.0')
    .build();
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
  app.enableShutdownHooks();
  return app;
}
