import { describe, expect, it, afterAll, beforeAll } from '@jest/globals';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveConsole } from './serve-console';

@Module({})
class EmptyModule {}

describe('serveConsole', () => {
  let dist: string;
  let app: NestFastifyApplication;
  let base: string;
  const get = (path: string) => fetch(base + path, { redirect: 'manual' });

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'munja-console-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = await NestFactory.create<NestFastifyApplication>(EmptyModule, new FastifyAdapter(), {
      logger: false,
    });
    expect(await serveConsole(app, dist)).toBe(true);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at /console/ (revalidated) and redirects /console there', async () => {
    const index = await get('/console/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('text/html');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    expect(await index.text()).toContain('id="root"');
    const bare = await get('/console');
    expect([301, 302, 308]).toContain(bare.status);
    expect(bare.headers.get('location')).toBe('/console/');
  });

  it('serves hashed assets for a year, and 404s what is not there', async () => {
    const asset = await get('/console/assets/index-abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await get('/console/assets/missing.js')).status).toBe(404);
    expect((await get('/console/%2e%2e/%2e%2e/package.json')).status).toBe(404);
  });

  it('serves nothing when the console is not built', async () => {
    const bare = await NestFactory.create<NestFastifyApplication>(EmptyModule, new FastifyAdapter(), {
      logger: false,
    });
    expect(await serveConsole(bare, undefined)).toBe(false);
    await bare.close();
  });
});
