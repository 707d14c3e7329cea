import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiError } from '../common/api-error';

/** Who is calling: the operator (operator key) or one project (its API key). */
export type ProjectPrincipal = { kind: 'project'; projectId: string; apiKeyId: string };
export type Principal = { kind: 'operator' } | ProjectPrincipal;

export interface AuthenticatedRequest {
  principal?: Principal;
}

export const ACCESS = 'munja:access';
/** public: no key; operator: the operator key only; project (default): a project's API key only. */
export type Access = 'public' | 'operator' | 'project';

/** No authentication (health, docs, webhooks that carry their own secret). */
export const Public = () => SetMetadata(ACCESS, 'public' satisfies Access);
/** Only the operator key may call this route. */
export const OperatorOnly = () => SetMetadata(ACCESS, 'operator' satisfies Access);

function projectPrincipal(context: ExecutionContext): ProjectPrincipal {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const principal = request.principal;
  if (principal?.kind !== 'project')
    throw new ApiError(403, 'PROJECT_KEY_REQUIRED', 'A project API key is required');
  return principal;
}

/** The calling project's id (routes with the default `project` access). */
export const CurrentProject = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string => projectPrincipal(context).projectId,
);

/** The calling project and the key it called with (the send path re-checks the key when it stores). */
export const CurrentProjectKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ProjectPrincipal => projectPrincipal(context),
);
