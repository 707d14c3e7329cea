import rateLimit from '@fastify/rate-limit';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import { ApiError } from '../common/api-error';
import type { Environment } from '../config/environment';
import { AuthFailures, type Limiter } from './auth-failures';
import { presentedKey } from './presented-key';

/**
 * Rate limits with @fastify/rate-limit: every request counts against its API key's budget (the key's hash, so
 * no key reaches Redis), or its client address's without a key — MUNJA_RATE_LIMIT per MUNJA_RATE_LIMIT_WINDOW_MS,
 * answered 429 with Retry-After and the RateLimit-* headers; failed authentications count per address
 * (AuthFailures). Counters are in-process, or in Redis with REDIS_URL so that processes share one budget (if
 * Redis is unreachable, requests are let through rather than refused). Call before app.init().
 */
export async function registerRateLimits(
  app: NestFastifyApplication,
  environment: Environment,
): Promise<void> {
  const redis = environment.REDIS_URL
    ? new Redis(environment.REDIS_URL, {
        // fail a counter call fast instead of queueing it while Redis is away
        enableOfflineQueue: false,
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        lazyConnect: false,
      })
    : undefined;
  // ioredis reports a lost connection as an event; the limiter's calls fail and are skipped meanwhile.
  redis?.on('error', () => undefined);
  const fastify = app.getHttpAdapter().getInstance();
  if (redis) fastify.addHook('onClose', async () => void (await redis.quit().catch(() => undefined)));

  await app.register(rateLimit, {
    global: environment.MUNJA_RATE_LIMIT > 0,
    max: environment.MUNJA_RATE_LIMIT,
    timeWindow: environment.MUNJA_RATE_LIMIT_WINDOW_MS,
    enableDraftSpec: true,
    skipOnError: true,
    ...(redis ? { redis, nameSpace: environment.MUNJA_REDIS_PREFIX } : {}),
    keyGenerator: (request: FastifyRequest) => {
      const key = presentedKey(request);
      return key ? `key:${key.hash}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) =>
      new ApiError(
        429,
        'RATE_LIMITED',
        `More than ${context.max} requests in ${environment.MUNJA_RATE_LIMIT_WINDOW_MS / 1000} s for this key; retry in ${context.after}`,
        'Authorization',
      ),
  });

  if (environment.MUNJA_AUTH_FAILURE_LIMIT > 0) {
    const failures = (fastify as unknown as { createRateLimit(options: object): Limiter }).createRateLimit({
      max: environment.MUNJA_AUTH_FAILURE_LIMIT,
      timeWindow: environment.MUNJA_AUTH_FAILURE_WINDOW_MS,
      keyGenerator: (request: FastifyRequest) => `authfail:${request.ip}`,
    });
    app.get(AuthFailures).attach(failures);
  }
}
