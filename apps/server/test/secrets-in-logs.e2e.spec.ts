import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startMainProcess, type MainProcess } from './main-process';
import { pgliteTemplateFile } from './pglite-template';

/**
 * A whole run of the real entry point at the most verbose log level, through every path that handles a secret
 * (API keys good, wrong and revoked, the operator key, the report secret in a path and in a header, webhook
 * signing secrets set and generated, the ARS token), then every secret is looked for in everything it printed.
 */
describe('secrets never reach the logs', () => {
  let service: MainProcess | undefined;
  let receiver: Server | undefined;

  afterAll(async () => {
    await service?.stop();
    receiver?.close();
  });

  it('no secret used in a full run appears in its output', async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.end('ok'));
    });
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;

    const operatorKey = `mk_op_${randomBytes(24).toString('base64url')}`;
    // Characters a path-shape mask could miss: the secret must still never appear.
    const reportSecret = `rs+${randomBytes(24).toString('base64url')}!`;
    const webhookSecret = `wh_${randomBytes(20).toString('hex')}`;
    service = startMainProcess({
      DATABASE_URL: '',
      MUNJA_PGLITE_DIR: 'memory://',
      MUNJA_TEST_PGLITE_TEMPLATE: await pgliteTemplateFile(),
      LOG_LEVEL: 'trace',
      MUNJA_OPERATOR_KEY: operatorKey,
      MUNJA_REPORT_SECRET: reportSecret,
      MUNJA_DISPATCH: 'true',
      MUNJA_WEBHOOKS: 'true',
      MUNJA_WEBHOOK_ALLOW_PRIVATE: 'true',
      MUNJA_WEBHOOK_TICK_MS: '200',
    });
    const base = await service.running;
    const call = async (
      method: string,
      path: string,
      key: string | undefined,
      body?: unknown,
      headers = {},
    ) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    };

    const project = await call('POST', '/v1/projects', operatorKey, { name: 'Secrets' });
    expect(project.status).toBe(201);
    const apiKey = (await call('POST', `/v1/projects/${project.body.id}/keys`, operatorKey, { name: 'k' }))
      .body.key as string;
    const spareKey = (await call('POST', `/v1/projects/${project.body.id}/keys`, operatorKey, { name: 's' }))
      .body as { id: string; key: string };
    const number = await call('POST', '/v1/calling-numbers', apiKey, {
      number: '0212345678',
      method: 'DOCUMENT',
    });
    await call(
      'POST',
      `/v1/projects/${project.body.id}/calling-numbers/${number.body.id}/approve`,
      operatorKey,
    );
    const endpoint = await call('POST', '/v1/webhooks', apiKey, {
      url: receiverUrl,
      secret: webhookSecret,
      eventTypes: ['message.status_changed'],
    });
    expect(endpoint.status).toBe(201);
    const generated = await call('POST', '/v1/webhooks', apiKey, {
      url: receiverUrl,
      eventTypes: ['message.status_changed'],
    });
    const generatedSecret = generated.body.secret as string;
    await call('POST', '/v1/opt-out/service', apiKey, { companyName: '비밀상사' });
    await call('POST', `/v1/projects/${project.body.id}/opt-out/service/complete`, operatorKey, {
      number080: '0801234567',
    });
    const ars = await call('POST', '/v1/opt-out/service/ars-token', apiKey);
    const arsToken = ars.body?.token as string;
    expect(ars.status).toBe(201);
    await call('POST', `/v1/opt-out/ars/${arsToken}/calls`, undefined, { callerNumber: '01099998888' });

    const sent = await call('POST', '/v1/messages', apiKey, {
      from: '0212345678',
      content: 'hello',
      messages: [{ to: '010-1111-2222' }],
    });
    expect(sent.status).toBe(202);
    await call('POST', `/v1/reports/omni/${encodeURIComponent(reportSecret)}`, undefined, {
      not: 'a report',
    });
    await call(
      'POST',
      '/v1/reports/omni',
      undefined,
      { not: 'a report' },
      { 'x-munja-report-secret': reportSecret },
    );
    await call('GET', '/v1/project', `${apiKey}x`);
    await call('DELETE', `/v1/projects/${project.body.id}/keys/${spareKey.id}`, operatorKey);
    await call('GET', '/v1/project', spareKey.key);
    await call('GET', '/v1/project', apiKey, undefined, { cookie: `session=${apiKey}` });
    // Let the dispatcher and the webhook deliveries run (and log) for a moment.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await service.stop();

    const output = service.output();
    expect(output.length).toBeGreaterThan(1000); // trace level did log the run
    const secrets = {
      operatorKey,
      apiKey,
      spareKey: spareKey.key,
      reportSecret,
      reportSecretInPath: encodeURIComponent(reportSecret),
      webhookSecret,
      generatedSecret,
      arsToken,
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect({ name, found: output.includes(secret) }).toEqual({ name, found: false });
    }
  }, 600_000);
});
