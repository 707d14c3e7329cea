import type { ApiHeaderOptions } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from '../messages/idempotency';

/** The request header of the sends (JSON and bulk). */
export const IDEMPOTENCY_KEY_HEADER: ApiHeaderOptions = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'One key per logical send, kept across its retries: the same key with the same body answers the first ' +
    'answer again (with `Idempotent-Replayed: true`) and sends nothing twice; the same key with another body ' +
    'is 409 IDEMPOTENCY_KEY_REUSED.',
  schema: {
    type: 'string',
    minLength: 1,
    maxLength: MAX_IDEMPOTENCY_KEY_LENGTH,
    pattern: '^[\\x21-\\x7e]+$',
  },
  example: '5f0c1e0a-7d6b-4c1e-9a51-3f2b8c9d0e11',
};

/** The answer header of a replayed send. */
export const IDEMPOTENT_REPLAYED_HEADER: HeadersObject = {
  'Idempotent-Replayed': {
    description: '`true` when this is the stored answer of an earlier request with the same Idempotency-Key',
    schema: { type: 'string', enum: ['true'] },
  },
};
