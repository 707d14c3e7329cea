import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { validateOmniConfig } from './config';
import { OMNI_PROFILE } from './limit-profile';
import { HEALTH_CACHE_MS, OmniProvider } from './omni-provider';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A stand-in OMNI endpoint: answers, freezes (never answers), or is closed. */
async function endpoint(
  mode: 'answers' | 'frozen',
): Promise<{ url: string; hits: () => number; server: Server }> {
  let hits = 0;
  const held: ServerResponse[] = [];
  const server = createServer((request, response) => {
    hits += 1;
    if (mode === 'frozen') {
      held.push(response);
      return;
    }
    request.resume();
    response.setHeader('content-type', 'application/json');
    response.end(
      JSON.stringify({ code: 'A000', result: 'ok', data: { token: 't', expired: '2099-01-01 00:00:00' } }),
    );
  });
  server.on('close', () => held.forEach((r) => r.destroy()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits, server };
}

function provider(baseUrl: string, now: () => number): OmniProvider {
  const config = validateOmniConfig({ clientId: 'c', password: 'p', baseUrl });
  return new OmniProvider(config, { logger: quiet, now: () => new Date(now()) }, OMNI_PROFILE);
}

describe('OMNI health: a real probe of the endpoint, cached briefly', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('is down when the endpoint is frozen (timed out) or refuses connections', async () => {
    const frozen = await endpoint('frozen');
    servers.push(frozen.server);
    const started = Date.now();
    const answer = await provider(frozen.url, Date.now).health();
    expect(answer.ok).toBe(false);
    expect(answer.detail).toMatch(/^OMNI does not answer: /);
    expect(Date.now() - started).toBeLessThan(10_000);

    const closed = await endpoint('answers');
    const url = closed.url;
    await new Promise((resolve) => closed.server.close(resolve));
    expect((await provider(url, Date.now).health()).ok).toBe(false);
  });

  it('is up when the endpoint answers, and reuses the answer for a few seconds', async () => {
    const live = await endpoint('answers');
    servers.push(live.server);
    let now = 1_000_000;
    const omni = provider(live.url, () => now);
    expect(await omni.health()).toEqual({ ok: true });
    const calls = live.hits();
    expect(calls).toBeGreaterThanOrEqual(1);
    now += HEALTH_CACHE_MS - 1;
    await omni.health();
    expect(live.hits()).toBe(calls);
    now += 2;
    await omni.health();
    expect(live.hits()).toBeGreaterThan(calls);
    await omni.close();
  });
});
