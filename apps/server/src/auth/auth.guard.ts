import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { ApiKey } from '../projects/api-key.entity';
import { hashApiKey, secretsEqual } from './api-key-secret';
import { ACCESS, Access, AuthenticatedRequest, Principal } from './principal';
import { OPERATOR_KEY } from './operator-key';

interface RequestWithHeaders extends AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
}

/** Global guard: every route needs `Authorization: Bearer <key>` unless marked @Public(). */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @Inject(OPERATOR_KEY) private readonly operatorKey: string,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access =
      this.reflector.getAllAndOverride<Access | undefined>(ACCESS, [
        context.getHandler(),
        context.getClass(),
      ]) ?? 'project';
    if (access === 'public') return true;
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    const principal = await this.authenticate(request.headers.authorization);
    if (access === 'operator' && principal.kind !== 'operator') {
      throw new ApiError(403, 'OPERATOR_KEY_REQUIRED', 'This action needs the operator key');
    }
    if (access === 'project' && principal.kind !== 'project') {
      throw new ApiError(403, 'PROJECT_KEY_REQUIRED', 'This action needs a project API key');
    }
    request.principal = principal;
    return true;
  }

  private async authenticate(header: string | string[] | undefined): Promise<Principal> {
    const value = Array.isArray(header) ? header[0] : header;
    const match = value ? /^Bearer\s+(\S+)\s*$/i.exec(value) : null;
    const key = match?.[1];
    if (!key) {
      throw new ApiError(
        401,
        'UNAUTHENTICATED',
        'Send the API key as `Authorization: Bearer <key>`',
        'Authorization',
      );
    }
    if (secretsEqual(key, this.operatorKey)) return { kind: 'operator' };
    const found = await this.keys.findOne({ where: { keyHash: hashApiKey(key), revokedAt: IsNull() } });
    if (!found)
      throw new ApiError(401, 'INVALID_API_KEY', 'The API key is unknown or revoked', 'Authorization');
    return { kind: 'project', projectId: found.projectId, apiKeyId: found.id };
  }
}
