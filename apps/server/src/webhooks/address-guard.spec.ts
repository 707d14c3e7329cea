import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { isPrivateAddress } from './address-guard';
import { WebhookSender } from './webhook-sender';

describe('isPrivateAddress', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.255', true],
    ['10.0.0.1', true],
    ['172.15.255.255', false],
    ['172.16.0.0', true],
    ['172.31.255.255', true],
    ['172.32.0.0', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true], // cloud metadata
    ['100.63.255.255', false],
    ['100.64.0.0', true],
    ['100.127.255.255', true],
    ['100.128.0.0', false],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['203.0.113.10', true], // documentation (TEST-NET-3): never a real receiver
    ['1.1.1.1', false],
    ['::1', true],
    ['[::1]', true],
    ['::', true],
    ['fd12:3456::1', true],
    ['fe80::1', true],
    ['::ffff:127.0.0.1', true],
    ['::ffff:8.8.8.8', false],
    ['2001:4860:4860::8888', false],
    ['example.com', false], // a name: checked on what it resolves to
    // IPv6 forms that carry an IPv4 address are judged by that address
    ['64:ff9b::a00:1', true], // NAT64 (RFC 6052) → 10.0.0.1
    ['64:ff9b::7f00:1', true], // NAT64 → 127.0.0.1
    ['64:ff9b::808:808', false], // NAT64 → 8.8.8.8
    ['64:ff9b:1::a00:1', true], // local-use NAT64 (RFC 8215)
    ['2002:a9fe:a9fe::1', true], // 6to4 → 169.254.169.254
    ['2002:c0a8:101::', true], // 6to4 → 192.168.1.1
    ['2002:808:808::1', false], // 6to4 → 8.8.8.8
    ['::a00:1', true], // IPv4-compatible → 10.0.0.1
    ['::7f00:1', true], // IPv4-compatible → 127.0.0.1
    ['::808:808', false], // IPv4-compatible → 8.8.8.8
    ['::ffff:a9fe:a9fe', true], // IPv4-mapped, hex form → 169.254.169.254
    ['::ffff:0:a00:1', true], // IPv4-translated (RFC 6145) → 10.0.0.1
    ['2001::1', true], // Teredo
    ['2001:db8::1', true], // documentation
    ['100::1', true], // discard-only
    ['192.0.2.1', true], // documentation (TEST-NET-1)
    ['198.51.100.1', true], // TEST-NET-2
    ['198.18.0.1', true], // benchmarking
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});

describe('WebhookSender and private receivers', () => {
  let server: Server;
  let port = 0;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const input = (url: string) => ({
    url,
    secret: 's'.repeat(16),
    eventId: 'e',
    body: '{}',
    timestampSeconds: 1,
  });

  it('refuses an address in the URL and a name resolving to loopback, without connecting', async () => {
    const sender = new WebhookSender(2000, false);
    try {
      const literal = await sender.send(input(`http://127.0.0.1:${port}/x`));
      expect(literal).toMatchObject({
        ok: false,
        statusCode: null,
        error: '127.0.0.1 is a private or reserved address',
      });
      const named = await sender.send(input(`http://localhost:${port}/x`));
      expect(named.ok).toBe(false);
      expect(named.error).toMatch(/^localhost resolves to (127\.0\.0\.1|::1), a private or reserved address/);
      expect(hits).toBe(0);
    } finally {
      await sender.close();
    }
  });

  it('delivers to the same receiver when private addresses are allowed', async () => {
    const sender = new WebhookSender(2000, true);
    try {
      expect(await sender.send(input(`http://localhost:${port}/x`))).toMatchObject({
        ok: true,
        statusCode: 200,
      });
      expect(hits).toBe(1);
    } finally {
      await sender.close();
    }
  });
});
