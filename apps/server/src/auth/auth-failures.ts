import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../common/api-error';

/** What @fastify/rate-limit's createRateLimit() answers for one request. */
export interface LimitVerdict {
  isAllowed: boolean;
  isExceeded?: boolean;
  max?: number;
  remaining?: number;
  ttlInSeconds?: number;
}
export type Limiter = (request: FastifyRequest, options?: { increment?: boolean }) => Promise<LimitVerdict>;

/**
 * Failed authentications per client address (MUNJA_AUTH_FAILURE_LIMIT per MUNJA_AUTH_FAILURE_WINDOW_MS): each
 * failure counts; an address over its budget is answered 429 before its key is even looked up. The counter
 * lives where the rate limits do (in-process, or Redis with REDIS_URL). createApp attaches the limiter.
 */
@Injectable()
export class AuthFailures {
  private limiter: Limiter | undefined;

  attach(limiter: Limiter): void {
    this.limiter = limiter;
  }

  /** Throws 429 when this address has used up its failures (without counting this request). */
  async refuseIfBlocked(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!this.limiter) return;
    const verdict = await this.limiter(request, { increment: false });
    if (verdict.isExceeded) throw tooMany(verdict, reply);
  }

  /** Counts a failure; the answer is 429 instead of `refusal` once the budget is spent. */
  async failed(request: FastifyRequest, reply: FastifyReply, refusal: ApiError): Promise<ApiError> {
    if (!this.limiter) return refusal;
    const verdict = await this.limiter(request);
    return verdict.isExceeded ? tooMany(verdict, reply) : refusal;
  }
}

function tooMany(verdict: LimitVerdict, reply: FastifyReply): ApiError {
  const seconds = Math.max(1, verdict.ttlInSeconds ?? 1);
  void reply
    .header('retry-after', String(seconds))
    .header('ratelimit-limit', String(verdict.max ?? 0))
    .header('ratelimit-remaining', '0')
    .header('ratelimit-reset', String(seconds));
  return new ApiError(
    429,
    'TOO_MANY_FAILED_AUTHENTICATIONS',
    `Too many requests with a missing or wrong API key from this address; retry in ${seconds} s`,
    'Authorization',
  );
}
