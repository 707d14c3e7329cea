import type { FastifyInstance } from 'fastify';
import { PinoLogger, type Params } from 'nestjs-pino';
import type { Logger } from 'pino';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * A path segment that may be a secret: 24 characters or more, whatever they are (ARS tokens and the report
 * secret travel in paths; MUNJA_REPORT_SECRET is refused at start when shorter, so it is always masked).
 */
const SECRET_LIKE = /^[^/]{24,}$/;

/**
 * Masks secrets carried in URL paths (the ARS stand-in's and the webhooks' path secrets) and drops the query
 * string, so request logs never hold a usable secret. UUIDs stay: they are ids, not secrets.
 */
export function redactUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path
    .split('/')
    .map((segment) => (SECRET_LIKE.test(segment) && !UUID.test(segment) ? '[redacted]' : segment))
    .join('/');
}

/**
 * The service's pino logger (nestjs-pino's root): level, and redaction of headers should any reach a line. Keys
 * (Authorization), cookies and bodies are never logged. No per-request middleware: pino-http's cost a child
 * logger (its bindings serialized and redacted) and an AsyncLocalStorage scope per request, whose promise hooks
 * then ran on every promise of the request — a tenth of a single send's CPU. `logRequests` writes the one line.
 */
export function loggerParams(level: string): Params {
  return {
    forRoutes: [],
    pinoHttp: {
      level,
      autoLogging: false,
      // `logRequests` logs plain objects: no request/response serializers to map them again.
      wrapSerializers: false,
      redact: ['req.headers', 'res.headers'],
    },
  };
}

/**
 * One line per answered request (not /health): method, redacted path, status, time — at info, or error for a
 * 5xx. Call before app.init().
 */
export function logRequests(
  fastify: FastifyInstance,
  // the service's logger once nestjs-pino has made it (app.init)
  rootLogger: () => Logger | undefined = () => PinoLogger.root,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const logger = rootLogger();
    const failed = reply.statusCode >= 500;
    if (logger?.isLevelEnabled(failed ? 'error' : 'info') && !request.url.startsWith('/health')) {
      const line = {
        req: { id: request.id, method: request.method, url: redactUrl(request.url) },
        res: { statusCode: reply.statusCode },
        responseTime: Math.round(reply.elapsedTime),
      };
      if (failed) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    }
    done();
  });
}
