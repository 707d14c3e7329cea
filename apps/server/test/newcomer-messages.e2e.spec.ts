import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NO_DISPATCH, sendBody, sendingProject, type SendingProject } from './messages-fixtures';
import { startTestApp, type TestApp } from './test-app';

/** How often `needle` occurs in `text`. */
function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

describe('the messages a newcomer meets (each names its field once and says what would be accepted)', () => {
  let t: TestApp;
  let project: SendingProject;

  beforeAll(async () => {
    t = await startTestApp({ env: NO_DISPATCH });
    project = await sendingProject(t, 'Newcomer');
  });
  afterAll(async () => {
    await t?.close();
  });

  const send = (body: Record<string, unknown>) => t.http.post('/v1/messages').set(project.auth).send(body);

  it('writes the field path once', async () => {
    const answer = await send(sendBody({ messages: [{ to: '010-12' }] })).expect(400);
    expect(answer.body).toMatchObject({ code: 'INVALID_PHONE_NUMBER', field: 'messages[0].to' });
    expect(occurrences(answer.body.message, 'messages[0].to')).toBe(1);
  });

  it('says a missing content is required', async () => {
    const answer = await send(sendBody({ content: undefined })).expect(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'REQUIRED',
      field: 'content',
      message: 'content is required',
    });
  });

  it('tells how to send abroad when an international number comes without countryCode', async () => {
    const answer = await send(sendBody({ messages: [{ to: '+14155550123' }] })).expect(400);
    expect(answer.body).toMatchObject({ code: 'INVALID_PHONE_NUMBER', field: 'messages[0].to' });
    expect(answer.body.message).toContain('to send abroad, set countryCode to "1"');
    expect(answer.body.message).toContain('"4155550123"');
    // ...and that way it is accepted.
    await send(sendBody({ countryCode: '1', messages: [{ to: '4155550123' }] })).expect(202);
  });

  it('points 1,001 recipients to the bulk endpoint', async () => {
    const messages = Array.from({ length: 1001 }, (_, i) => ({
      to: `010-5${String(i).padStart(3, '0')}-0000`,
    }));
    const answer = await send(sendBody({ messages })).expect(400);
    expect(answer.body).toMatchObject({ code: 'TOO_MANY', field: 'messages' });
    expect(answer.body.message).toContain('POST /v1/messages/bulk');
    expect(occurrences(answer.body.message, 'messages holds')).toBe(1);
  });

  it('names nested fields once in the global validation pipe too', async () => {
    const answer = await t.http.post('/v1/projects').set(t.bearer(t.operatorKey)).send({}).expect(400);
    expect(answer.body).toEqual({
      statusCode: 400,
      code: 'REQUIRED',
      field: 'name',
      message: 'name is required',
    });
  });
});
