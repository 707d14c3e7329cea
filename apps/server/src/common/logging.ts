import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

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
 * Structured request logs: method, redacted path, status, time. Keys (Authorization), cookies and bodies are
 * never logged (pino-http does not log bodies; headers are not serialized at all).
 */
export function loggerParams(level: string): Params {
  return {
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    pinoHttp: {
      level,
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url ?? ''),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers', 'res.headers'],
    },
  };
}
