import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import multipart from '@fastify/multipart';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { registerRateLimits } from './auth/rate-limits';
import { answerClientError } from './common/client-error';
import { createValidationPipe } from './common/validation';
import { ErrorFilter } from './common/error.filter';
import { QuietFrameworkLogger } from './common/framework-logger';
import { configureHttpEdge } from './common/http-edge';
import { logRequests } from './common/logging';
import { createHttpServer, gatedHandler } from './common/http-server';
import { type Environment, validateEnvironment } from './config/environment';
import { closeOnFailedStart } from './database/start-attempt';
import { buildOpenApiDocument } from './openapi/openapi-document';
import { sendBodyPipe } from './messages/send-body.pipe';
import { serveSendRoute } from './messages/send-route';
import { MessagesService } from './messages/messages.service';
import { AuthGuard } from './auth/auth.guard';
import { consoleDistDirectory, serveConsole } from './console/serve-console';

/** Largest request body: 1,000 recipients with long contents fit comfortably. */
const BODY_LIMIT = 8 * 1024 * 1024;
/** Largest multipart file part; the SENS profile allows 300 KB, so this leaves room for a clear 400. */
export const MULTIPART_FILE_LIMIT = 2 * 1024 * 1024;

type CreateOptions = AppOptions & {
  shutdownHooks?: boolean;
  server?: Server;
  /** POST /v1/messages served without Nest's request pipeline (messages/send-route.ts); default true */
  directSendRoute?: boolean;
};

/**
 * Builds the whole application (used by main.ts and the e2e tests). Given `server` already listening (main.ts
 * binds the port before anything else), requests are answered 503 STARTING until the app is ready, then served;
 * otherwise the app is not yet listening (call app.listen).
 */
export function createApp(options: CreateOptions = {}): Promise<NestFastifyApplication> {
  return closeOnFailedStart(() => buildApp(options));
}

async function buildApp(options: CreateOptions): Promise<NestFastifyApplication> {
  const environment = validateEnvironment(options.env ?? process.env);
  const server = options.server ?? createHttpServer(environment);
  const gate = gatedHandler(server);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT,
      clientErrorHandler: answerClientError,
      serverFactory: (handler: (request: IncomingMessage, response: ServerResponse) => void) =>
        gate.attach(handler),
    }),
    // Nest's own parsers (JSON, urlencoded) are replaced by the edge's (configureHttpEdge).
    { bufferLogs: true, abortOnError: false, bodyParser: false },
  );
  try {
    await setUp(app, environment, gate, options);
  } catch (error) {
    // The providers are created: closing the application stops what their start-up hooks began (workers,
    // LISTEN connections, timers) and closes the data source.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}

async function setUp(
  app: NestFastifyApplication,
  environment: Environment,
  gate: ReturnType<typeof gatedHandler>,
  options: CreateOptions,
): Promise<void> {
  const server = options.server;
  app.useLogger(new QuietFrameworkLogger(app.get(Logger)));
  const fastify = app.getHttpAdapter().getInstance();
  configureHttpEdge(fastify);
  logRequests(fastify);
  // Fastify closes only a server it made listen itself; a bound one passed in is closed with the app.
  if (server) {
    fastify.addHook('onClose', (_instance, done) => {
      server.closeAllConnections();
      server.close(() => done());
    });
  }
  await registerRateLimits(app, environment);
  // The hot route's handler, before its route is registered (app.init).
  if (options.directSendRoute ?? true) {
    serveSendRoute(fastify, { guard: app.get(AuthGuard), sending: app.get(MessagesService) });
  }
  await app.register(multipart, { limits: { fileSize: MULTIPART_FILE_LIMIT, files: 1, fields: 10 } });
  // The web console (apps/console) at /console/, when it is built.
  await serveConsole(app, consoleDistDirectory());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ErrorFilter());
  // Tests close their apps themselves; a process listens for SIGTERM/SIGINT, closes gracefully, then exits with
  // status 0 (process.exit rather than the signal raised again: the logger's last lines, "embedded PGlite
  // stopped", are written out on exit, where a re-raised signal cut them off).
  if (options.shutdownHooks ?? true) app.enableShutdownHooks(undefined, { useProcessExit: true });

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document);
  // The send route validates with the send body's schema as served (generated from its DTOs), compiled.
  sendBodyPipe.useDocument(document);
  await app.init();
  await fastify.ready();
  gate.open();
}
