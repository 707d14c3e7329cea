import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../common/api-error';
import { sendBodyPipe } from './send-body.pipe';
import { SendMessageDto } from './send-message.dto';

const valid = { from: '0212345678', content: 'hi', messages: [{ to: '01011112222' }] };

async function failure(body: unknown): Promise<ReturnType<ApiError['body']>> {
  try {
    await sendBodyPipe.transform(body, { type: 'body', metatype: Object });
  } catch (error) {
    if (error instanceof ApiError) return error.body();
    throw error;
  }
  throw new Error('the body was accepted');
}

describe('send body validation', () => {
  it('accepts a SENS body and gives a SendMessageDto', async () => {
    const dto = await sendBodyPipe.transform(
      { ...valid, countryCode: 82 },
      { type: 'body', metatype: Object },
    );
    expect(dto).toBeInstanceOf(SendMessageDto);
    expect(dto).toMatchObject({ countryCode: '82' });
  });

  it.each([
    [
      { ...valid, messages: [{ to: '01011112222' }, { to: '01011112223' }, { to: '01011112224' }, {}] },
      'REQUIRED',
      'messages[3].to',
    ],
    [{ ...valid, messages: [{ to: 1 }] }, 'INVALID_STRING', 'messages[0].to'],
    [{ ...valid, messages: [{ to: '' }] }, 'REQUIRED', 'messages[0].to'],
    [{ ...valid, messages: [{ to: 'x'.repeat(41) }] }, 'TOO_LONG', 'messages[0].to'],
    [{ ...valid, messages: ['01011112222'] }, 'INVALID_OBJECT', 'messages[0]'],
    [{ ...valid, messages: 'x' }, 'INVALID_ARRAY', 'messages'],
    [{ ...valid, files: [{ fileId: 'x' }] }, 'INVALID_UUID', 'files[0].fileId'],
    [{ ...valid, files: [{}] }, 'REQUIRED', 'files[0].fileId'],
    [{ ...valid, messages: [{ to: '01011112222', bcc: 1 }] }, 'UNKNOWN_FIELD', 'messages[0].bcc'],
    [{ ...valid, content: 1 }, 'INVALID_STRING', 'content'],
    [{ ...valid, type: 'sms' }, 'INVALID_VALUE', 'type'],
  ])('refuses %j with %s on %s', async (body, code, field) => {
    const answer = await failure(body);
    expect(answer).toMatchObject({ statusCode: 400, code, field });
    // The message names the whole path, not only the last property.
    expect(answer.message.startsWith(field)).toBe(true);
  });

  it('refuses 1,001 recipients and takes 1,000', async () => {
    const messages = Array.from({ length: 1001 }, () => ({ to: '01011112222' }));
    expect(await failure({ ...valid, messages })).toMatchObject({ code: 'TOO_MANY', field: 'messages' });
    await expect(
      sendBodyPipe.transform({ ...valid, messages: messages.slice(1) }, { type: 'body', metatype: Object }),
    ).resolves.toBeInstanceOf(SendMessageDto);
  });

  it.each([[[]], ['text'], [null]])('refuses a body that is not an object: %j', async (body) => {
    const answer = await failure(body);
    expect(answer.statusCode).toBe(400);
  });
});
