import { OmitType } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ApiError } from '../common/api-error';
import { checkJsonValue } from '../common/json-body';
import { firstSendBodyFailure } from '../messages/send-body.pipe';
import { SendMessageDto } from '../messages/send-message.dto';

/** The common fields of a bulk send: the JSON send body without `messages` (the CSV brings the recipients) and without `scheduleCode` (a bulk send goes now or at its reservation). */
export class BulkRequestDto extends OmitType(SendMessageDto, ['messages', 'scheduleCode'] as const) {}

/** Largest `request` part: the common fields only, so a few kilobytes is plenty. */
export const MAX_REQUEST_PART_CHARS = 64 * 1024;

/**
 * The `request` part, parsed and checked like the JSON send body (same codes and field names); `messages`
 * is an unknown field here. Returns the validated fields and the parsed JSON (the idempotency fingerprint).
 */
export function readBulkRequest(text: string): { fields: BulkRequestDto; raw: unknown } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw ApiError.badRequest('INVALID_JSON', 'The `request` part must be a JSON object', 'request');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw ApiError.badRequest('INVALID_JSON', 'The `request` part must be a JSON object', 'request');
  }
  // The same bounds as a JSON body: no depth that overflows class-transformer, nothing PostgreSQL cannot store.
  checkJsonValue(raw);
  const fields = plainToInstance(BulkRequestDto, raw);
  const failure = firstSendBodyFailure(validateSync(fields, { whitelist: true, forbidNonWhitelisted: true }));
  if (failure) throw ApiError.badRequest(failure.code, failure.message, failure.field);
  return { fields, raw };
}
