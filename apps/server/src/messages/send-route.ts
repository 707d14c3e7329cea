import type { ArgumentMetadata } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthGuard } from '../auth/auth.guard';
import type { ProjectPrincipal } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { readIdempotencyKey } from './idempotency';
import type { MessagesService } from './messages.service';
import { sendBodyPipe } from './send-body.pipe';
import type { SendMessageDto } from './send-message.dto';

/** The send route (MessagesController.send): its path and method, as Nest registers them with Fastify. */
export const SEND_ROUTE = { method: 'POST', url: '/v1/messages' } as const;

export function readDryRun(value: string | undefined): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true' || value === '') return true;
  throw ApiError.badRequest('INVALID_VALUE', 'dryRun must be true or false', 'dryRun');
}

/**
 * The send route's work once its caller and body are known: the send (or dry run, or schedule attachment) and
 * its answer. The one implementation behind both MessagesController.send and the route served directly.
 */
export async function answerSend(
  sending: MessagesService,
  caller: ProjectPrincipal,
  dto: SendMessageDto,
  dryRun: string | undefined,
  idempotencyKey: string | string[] | undefined,
  reply: FastifyReply,
): Promise<void> {
  const outcome = await sending.send(caller.projectId, dto, {
    apiKeyId: caller.apiKeyId,
    rawBody: dto,
    dryRun: readDryRun(dryRun),
    idempotencyKey: readIdempotencyKey(idempotencyKey),
  });
  if (outcome.kind === 'attached') {
    await reply.status(outcome.dryRun ? 200 : 202).send(outcome.answer);
    return;
  }
  if (outcome.kind === 'dryRun') {
    await reply.status(200).send(outcome.plan);
    return;
  }
  if (outcome.replayed) void reply.header('Idempotent-Replayed', 'true');
  await reply.status(202).send(outcome.answer);
}

/** How Nest hands the body to the send route's pipe (the parameter is declared `unknown`). */
const BODY: ArgumentMetadata = { type: 'body', metatype: Object, data: undefined };

/**
 * Serves the send route without Nest's request pipeline (guards, interceptors, parameter pipes, the router's
 * exception zone), which cost a single send more CPU than the work it wraps. The route stays Nest's — its
 * path, Fastify hooks (rate limits, the JSON edge), route config and OpenAPI description are MessagesController's —
 * only its handler is replaced, by one doing the same steps in the same order with the same functions: the
 * AuthGuard's check, the send body's pipe, `dryRun` as the global pipe gives it (a string), the Idempotency-Key
 * header, then `answerSend`. A thrown error reaches the same ErrorFilter through Fastify's error handler (which
 * Nest sets). send-route.spec.ts asserts both handlers answer alike. Call before app.init().
 */
export function serveSendRoute(
  fastify: FastifyInstance,
  services: { guard: AuthGuard; sending: MessagesService },
): void {
  const { guard, sending } = services;
  fastify.addHook('onRoute', (route) => {
    if (route.url !== SEND_ROUTE.url || route.method !== SEND_ROUTE.method) return;
    route.handler = async function sendRoute(request: FastifyRequest, reply: FastifyReply) {
      const caller = (await guard.principalOf(request, reply, 'project')) as ProjectPrincipal;
      (request as { principal?: ProjectPrincipal }).principal = caller;
      const dto = await sendBodyPipe.transform(request.body, BODY);
      const dryRun = (request.query as Record<string, unknown> | undefined)?.dryRun;
      await answerSend(
        sending,
        caller,
        dto,
        dryRun === undefined ? undefined : String(dryRun),
        request.headers['idempotency-key'],
        reply,
      );
      return reply;
    };
  });
}
