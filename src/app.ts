import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import { AppModule } from './app.module';
import { Clock, systemClock } from './clock/clock';
import { AppConfig, LOG_LEVELS } from './config/config';
import { RulePack } from './domain/rules/rule-pack';
import { bodyParserErrors, HttpErrorsFilter } from './http-errors.filter';
import { jsonBounds } from './json-bounds.middleware';
import { securityHeaders } from './security-headers';

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
  app.use(securityHeaders(config.publicUrl));
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
