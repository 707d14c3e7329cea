import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WebhookReceiver, waitFor } from '../../../apps/server/test/webhooks-receiver';
import type { SendingProject } from '../../../apps/server/test/messages-fixtures';
import type { TestApp } from '../../../apps/server/test/test-app';
import { CALLING_NUMBER, startService } from './service';

const CHROMIUM = process.env.MUNJA_CHROMIUM ?? '/usr/bin/chromium';

/**
 * The client as a browser runs it: bundled by esbuild for the browser platform (a Node built-in anywhere in its
 * graph fails the bundle), loaded by Debian's chromium from a page whose origin forwards /v1 to the service, and
 * used there: a send, the history iterator, a refusal as MunjaError, a bulk upload from a Blob, and the signature
 * of a real webhook delivery checked with the browser's Web Crypto.
 */
describe('@munja/client in chromium', () => {
  let t: TestApp;
  let p: SendingProject;
  let site: Server;
  let origin: string;
  let context: BrowserContext;
  let profile: string;
  let page: Page;

  beforeAll(async () => {
    ({ t, p } = await startService({ MUNJA_WEBHOOK_TICK_MS: '50' }));
    const bundle = await build({
      entryPoints: [join(__dirname, '../src/index.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    const code = bundle.outputFiles[0]!.text;
    const service = new URL(t.url);
    site = createServer((req, res) => {
      if (req.url === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(
          '<!doctype html><script type="module">import * as client from "/client.mjs"; window.client = client;</script>',
        );
      } else if (req.url === '/client.mjs') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(code);
      } else {
        const forward = httpRequest(
          {
            host: service.hostname,
            port: service.port,
            method: req.method,
            path: req.url,
            headers: req.headers,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        req.pipe(forward);
      }
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'munja-client-browser-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    page = await context.newPage();
    await page.goto(origin);
    await page.waitForFunction(() => 'client' in window);
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    site?.closeAllConnections();
    await new Promise<void>((resolve) => (site ? site.close(() => resolve()) : resolve()));
    await t?.close();
  });

  it('sends, iterates the history, and refuses with a MunjaError', async () => {
    const result = await page.evaluate(
      async ({ apiKey, from }) => {
        const { Munja, MunjaError } = (window as unknown as { client: typeof import('../src') }).client;
        const munja = new Munja({ baseUrl: location.origin, apiKey });
        const sent = await munja.messages.send({
          from,
          content: '브라우저에서',
          messages: [{ to: '010-1212-3434' }, { to: '010-1212-5656' }],
        });
        const listed = await munja.messages.list({ limit: 1 }).toArray();
        const refused = await munja.messages
          .send({ from: '0299998888', content: 'x', messages: [{ to: '01012345678' }] })
          .catch((error: unknown) => error);
        return {
          requestId: sent.requestId ?? null,
          accepted: sent.accepted,
          listed: listed.map((m) => m.requestId),
          refused:
            refused instanceof MunjaError
              ? { status: refused.status, code: refused.code, field: refused.field }
              : String(refused),
        };
      },
      { apiKey: p.apiKey, from: CALLING_NUMBER },
    );
    expect(result.accepted).toBe(2);
    expect(result.listed.filter((id) => id === result.requestId)).toHaveLength(2);
    expect(result.refused).toEqual({ status: 422, code: 'CALLING_NUMBER_NOT_REGISTERED', field: 'from' });
  });

  it('uploads a bulk CSV from a Blob with progress', async () => {
    const result = await page.evaluate(
      async ({ apiKey, from }) => {
        const { Munja } = (window as unknown as { client: typeof import('../src') }).client;
        const munja = new Munja({ baseUrl: location.origin, apiKey });
        const progress: number[] = [];
        const answer = await munja.bulk.send({
          request: { from, content: '공지' },
          recipients: new Blob(['to\n010-3434-0001\n010-3434-0002\n'], { type: 'text/csv' }),
          onProgress: ({ sentBytes, totalBytes }) => progress.push(sentBytes / (totalBytes ?? 1)),
        });
        return { accepted: answer.accepted, progress };
      },
      { apiKey: p.apiKey, from: CALLING_NUMBER },
    );
    expect(result.accepted).toBe(2);
    expect(result.progress[0]).toBe(0);
  });

  it('verifies a real webhook delivery with Web Crypto', async () => {
    const receiver = await new WebhookReceiver(() => 200).start();
    try {
      const secret = 'whsec_browser_0123456789';
      await t.http
        .post('/v1/webhooks')
        .set(p.auth)
        .send({ url: receiver.url, secret, eventTypes: ['message.status_changed'] })
        .expect(201);
      await t.http
        .post('/v1/messages')
        .set(p.auth)
        .send({ from: CALLING_NUMBER, content: 'hook', messages: [{ to: '010-5656-7878' }] })
        .expect(202);
      const delivered = await waitFor(() => receiver.requests[0], 30_000);
      const verdicts = await page.evaluate(
        async ({ rawBody, headers, secret }) => {
          const { verifyWebhook } = (window as unknown as { client: typeof import('../src') }).client;
          return [
            await verifyWebhook(rawBody, headers, secret),
            await verifyWebhook(`${rawBody} `, headers, secret),
          ];
        },
        { rawBody: delivered.rawBody, headers: delivered.headers as Record<string, string>, secret },
      );
      expect(verdicts).toEqual([true, false]);
    } finally {
      await receiver.stop();
    }
  });
});
