import type { OutboundMessage } from '@munja/provider-kit';
import { countBytes, RuleError, segment, type LimitProfile } from '@munja/rules';
import { internationalRecipient, MMS_TITLE_MAX_BYTES } from './unconfirmed';
import {
  INTERNATIONAL_MAX_PARTS,
  MMS_MAX_FILES,
  PATHS,
  REF_MAX_CHARS,
  type InternationalRequestBody,
  type MmsRequestBody,
  type SmsRequestBody,
} from './wire';

/** The vendor call one message becomes. */
export interface OmniSendRequest {
  readonly path: string;
  readonly body: SmsRequestBody | MmsRequestBody | InternationalRequestBody;
  /** international: the concatenated parts planned by @munja/rules' segment */
  readonly parts: number;
}

/** Why a message is refused before any vendor call (never retryable: the message itself is wrong). */
export interface LocalRejection {
  readonly code: string;
  readonly field: string;
  readonly message: string;
}

export type PlannedRequest =
  { ok: true; request: OmniSendRequest } | { ok: false; rejection: LocalRejection };

const reject = (code: string, field: string, message: string): PlannedRequest => ({
  ok: false,
  rejection: { code, field, message },
});

/**
 * Check one message against OMNI's limits and build its request: /v1/send/international for INTL (split
 * with segment, 5 parts at most), /v1/send/sms for SMS, /v1/send/mms for LMS (no file) and MMS (fileKey).
 * The text is sent as planned, never rewritten; a message over a limit is refused here, not truncated.
 */
export function planRequest(message: OutboundMessage, profile: LimitProfile): PlannedRequest {
  if ([...message.ref].length > REF_MAX_CHARS)
    return reject('REF_TOO_LONG', 'ref', `ref is longer than ${REF_MAX_CHARS} characters`);
  const ref = message.ref;
  try {
    switch (message.channel) {
      case 'INTL': {
        const plan = segment(message.content, { maxParts: INTERNATIONAL_MAX_PARTS, field: 'content' });
        const body: InternationalRequestBody = {
          from: message.from,
          to: internationalRecipient(message.countryCode, message.to),
          text: message.content,
          ref,
        };
        return { ok: true, request: { path: PATHS.international, body, parts: plan.parts.length } };
      }
      case 'SMS': {
        const bytes = countBytes(message.content, 'content');
        if (bytes > profile.sms.contentBytes)
          return reject(
            'CONTENT_TOO_LONG',
            'content',
            `SMS content is ${bytes} bytes, over ${profile.sms.contentBytes}`,
          );
        if (message.subject !== undefined && message.subject !== '')
          return reject('SUBJECT_NOT_ALLOWED', 'subject', 'an SMS has no subject');
        if ((message.fileIds?.length ?? 0) > 0)
          return reject('FILES_NOT_ALLOWED', 'fileIds', 'an SMS carries no files');
        const body: SmsRequestBody = { from: message.from, to: message.to, text: message.content, ref };
        return { ok: true, request: { path: PATHS.sms, body, parts: 1 } };
      }
      case 'LMS':
      case 'MMS': {
        const limits = message.channel === 'LMS' ? profile.lms : profile.mms;
        const bytes = countBytes(message.content, 'content');
        if (bytes > limits.contentBytes)
          return reject(
            'CONTENT_TOO_LONG',
            'content',
            `${message.channel} content is ${bytes} bytes, over ${limits.contentBytes}`,
          );
        const titleLimit = Math.min(limits.subjectBytes, MMS_TITLE_MAX_BYTES);
        if (message.subject !== undefined && message.subject !== '') {
          const subjectBytes = countBytes(message.subject, 'subject');
          if (subjectBytes > titleLimit)
            return reject(
              'SUBJECT_TOO_LONG',
              'subject',
              `subject is ${subjectBytes} bytes, over ${titleLimit}`,
            );
        }
        const files = message.fileIds ?? [];
        if (message.channel === 'LMS' && files.length > 0)
          return reject('FILES_NOT_ALLOWED', 'fileIds', 'an LMS carries no files (send it as MMS)');
        if (message.channel === 'MMS' && files.length === 0)
          return reject('FILES_MISSING', 'fileIds', 'an MMS needs at least one uploaded file');
        if (files.length > MMS_MAX_FILES)
          return reject('TOO_MANY_FILES', 'fileIds', `${files.length} files, at most ${MMS_MAX_FILES}`);
        const body: MmsRequestBody = {
          from: message.from,
          to: message.to,
          text: message.content,
          ...(message.subject !== undefined && message.subject !== '' ? { title: message.subject } : {}),
          ...(files.length > 0 ? { fileKey: [...files] } : {}),
          ref,
        };
        return { ok: true, request: { path: PATHS.mms, body, parts: 1 } };
      }
      default:
        return reject(
          'UNSUPPORTED_CHANNEL',
          'channel',
          `OMNI does not carry channel ${String(message.channel)}`,
        );
    }
  } catch (error) {
    if (error instanceof RuleError) return reject(error.code, error.field, error.message);
    throw error;
  }
}
