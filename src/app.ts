import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, urlencoded } from 'express';
import { AppModule } from './app.module';
import { Clock, systemClock } from './clock/clock';
import { AppConfig, baseUrl, LOG_LEVELS } from './config/config';
import { RulePack } from './domain/rules/rule-pack';
import { bodyParserErrors, HttpErrorsFilter } from './http-errors.filter';
import { resolveIncidentReferences } from './incidents/incident-reference';
import { jsonBounds } from './json-bounds.middleware';
import { methodNotAllowed } from './method-not-allowed';
import { completeDocument } from './openapi/document';
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
  // Security headers (HSTS and upgrade-insecure-requests only over https); the API docs page needs inline scripts.
  app.use(securityHeaders(config.publicUrl));
  app.use(resolveIncidentReferences(app), methodNotAllowed(app));
  app.use(json({ limit: '1mb' }), urlencoded({ extended: false, limit: '200kb' }), bodyParserErrors, jsonBounds);
  app.useGlobalFilters(new HttpErrorsFilter());
  // The JSON document is served at /api/docs-json, the page at /api/docs; built on first request,
  // when the server knows the port it listens on.
  SwaggerModule.setup('api/docs', app, () => {
    const address = (app.getHttpServer() as { address(): { port: number } | string | null }).address();
    const openApi = new DocumentBuilder()
      .setTitle('breachflow')
      .setDescription('HIPAA breach-notification workflow engine: incidents, their notification plan, and the audit trail. '
        + 'Every refusal is `{ "errors": [{ "path", "message" }] }`, each problem naming its field. The API reference for users: docs/api.md.')
      .setVersion('0.1.0')
      .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
      .addServer(baseUrl(config, typeof address === 'object' && address ? address.port : config.port), 'This server (PUBLIC_URL, or the host and port it listens on)')
      .build();
    return completeDocument(SwaggerModule.createDocument(app, openApi));
  });
  app.enableShutdownHooks();
  return app;
}
