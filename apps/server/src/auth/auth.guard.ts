import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyCache } from './api-key-cache';
import { AuthFailures } from './auth-failures';
import { timingSafeEqual } from 'node:crypto';
import { hashApiKey } from './api-key-secret';
import { ACCESS, Access, AuthenticatedRequest, Principal, ProjectPrincipal } from './principal';
import { OPERATOR_KEY } from './operator-key';
import { presentedKey, type PresentedKey } from './presented-key';

interface RequestWithHeaders extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** Global guard: every route needs `Authorization: Bearer <key>` unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  /** the operator key's SHA-256, compared in constant time with the presented key's (the same hash finds a project key) */
  private readonly operatorKeyHash: Buffer;
  /** each route handler's access, read from its metadata once (it never changes) */
  private readonly access = new WeakMap<object, Access>();

  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly keys: ApiKeyCache,
    private readonly failures: AuthFailures,
    @Inject(OPERATOR_KEY) operatorKey: string,
  ) {
    this.operatorKeyHash = Buffer.from(hashApiKey(operatorKey), 'hex');
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const handler = context.getHandler();
    let access = this.access.get(handler);
    if (access === undefined) {
      access =
        this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [handler, context.getClass()]) ??
        'project';
      this.access.set(handler, access);
    }
    if (access === 'public') return true;
    const http = context.switchToHttp();
    const request = http.getRequest<RequestWithHeaders & FastifyRequest>();
    request.principal = await this.principalOf(request, http.getResponse<FastifyReply>(), access);
    return true;
  }

  /**
   * The caller of a request that needs `access` (the guard's whole check, also used by the send route served
   * without Nest's pipeline: messages/send-route.ts). Throws the 401/403/429 answer.
   */
  async principalOf(
    request: RequestWithHeaders & FastifyRequest,
    reply: FastifyReply,
    access: Exclude<Access, 'public'>,
  ): Promise<Principal> {
    let principal: Principal;
    try {
      // An address that has failed too often is refused before its key is looked up (a key already known
      // good in this process skips the check: the hot path costs no counter read).
      principal = await this.authenticate(presentedKey(request), () =>
        this.failures.refuseIfBlocked(request, reply),
      );
    } catch (error) {
      if (error instanceof ApiError && error.statusCode === 401) {
        throw await this.failures.failed(request, reply, error);
      }
      throw error;
    }
    if (access === 'operator' && principal.kind !== 'operator') {
      throw new ApiError(403, 'OPERATOR_KEY_REQUIRED', 'This action needs the operator key');
    }
    if (access === 'project' && principal.kind !== 'project') {
      throw new ApiError(403, 'PROJECT_KEY_REQUIRED', 'This action needs a project API key');
    }
    return principal;
  }

  private async authenticate(
    key: PresentedKey | undefined,
    beforeLookup: () => Promise<void>,
  ): Promise<Principal> {
    if (!key) {
      await beforeLookup();
      throw new ApiError(
        401,
        'UNAUTHENTICATED',
        'Send the API key as `Authorization: Bearer <key>`',
        'Authorization',
      );
    }
    const keyHash = key.hash;
    if (timingSafeEqual(Buffer.from(keyHash, 'hex'), this.operatorKeyHash)) return { kind: 'operator' };
    const known = this.keys.known(keyHash);
    if (known) return known;
    await beforeLookup();
    const found = await this.keys.lookup(keyHash, () => this.read(keyHash));
    if (!found)
      throw new ApiError(401, 'INVALID_API_KEY', 'The API key is unknown or revoked', 'Authorization');
    return found;
  }

  private async read(keyHash: string): Promise<ProjectPrincipal | undefined> {
    const rows: { id: string; project_id: string }[] = await this.dataSource.query(
      `SELECT id, project_id FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    const row = rows[0];
    return row && { kind: 'project', projectId: row.project_id, apiKeyId: row.id };
  }
}
