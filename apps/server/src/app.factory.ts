import multipart from '@fastify/multipart';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { createValidationPipe } from './common/validation';
import { ErrorFilter } from './common/error.filter';
import { QuietFrameworkLogger } from './common/framework-logger';
import { stopEmbeddedOnFailure } from './database/embedded-postgres';
import { buildOpenApiDocument } from './openapi/openapi-document';

/** Largest request body: 1,000 recipients with long contents fit comfortably. */
const BODY_LIMIT = 8 * 1024 * 1024;
/** Largest multipart file part; the SENS profile allows 300 KB, so this leaves room for a clear 400. */
export const MULTIPART_FILE_LIMIT = 2 * 1024 * 1024;

/** Builds the whole application (used by main.ts and the e2e tests), not yet listening. */
export function createApp(
  options: AppOptions & { shutdownHooks?: boolean } = {},
): Promise<NestFastifyApplication> {
  return stopEmbeddedOnFailure(() => buildApp(options));
}

async function buildApp(options: AppOptions & { shutdownHooks?: boolean }): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    new FastifyAdapter({ bodyLimit: BODY_LIMIT }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  await app.register(multipart, { limits: { fileSize: MULTIPART_FILE_LIMIT, files: 1, fields: 10 } });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // Tests close their apps themselves; a process listens for SIGTERM/SIGINT and closes gracefully.
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();

  SwaggerModule.setup('docs', app, buildOpenApiDocument(app));
  await app.init();
  return app;
}
