import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PluginRegistry } from '../src/plugins/plugin-registry';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { startTestApp, type TestApp } from './test-app';
import { SENS_DEFAULTS } from '@munja/simulator';

describe('plugins: the embedded default', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('loads SENS and OMNI pointed at the in-process simulator', () => {
    const registry = t.app.get(PluginRegistry);
    expect(registry.ids().sort()).toEqual(['omni', 'sens']);
    const embedded = t.app.get<EmbeddedSimulator | null>(EMBEDDED_SIMULATOR);
    expect(embedded?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('routes domestic traffic to sens then omni and everything else to omni', () => {
    const registry = t.app.get(PluginRegistry);
    expect(registry.route({ countryCode: '82', contentType: 'COMM' }).pluginIds).toEqual(['sens', 'omni']);
    expect(registry.route({ countryCode: '82', contentType: 'AD' }).limitProfile.id).toBe(
      registry.definition('sens').limitProfile.id,
    );
    expect(registry.route({ countryCode: '82', type: 'MMS', contentType: 'COMM' }).pluginIds).toEqual([
      'sens',
      'omni',
    ]);
    expect(registry.route({ countryCode: '1', contentType: 'COMM' }).pluginIds).toEqual(['omni']);
    expect(registry.route({ countryCode: '1', type: 'INTL', contentType: 'AD' }).pluginIds).toEqual(['omni']);
    expect(() => registry.route({ countryCode: '1', type: 'SMS', contentType: 'COMM' })).toThrow(
      expect.objectContaining({ code: 'NO_ROUTE', statusCode: 422 }) as unknown as Error,
    );
  });

  it('reports each plugin in readiness', async () => {
    const ready = await t.http.get('/health/ready');
    expect([ready.status, ready.body.message]).toEqual([200, undefined]);
    expect(Object.keys(ready.body.checks as object)).toEqual(
      expect.arrayContaining(['database', 'plugin:sens', 'plugin:omni']),
    );
  });
});

describe('plugins: start-up checks', () => {
  const sens = (config: Record<string, unknown>) =>
    JSON.stringify([
      {
        package: '@munja/provider-sens',
        config: {
          serviceId: SENS_DEFAULTS.serviceId,
          accessKey: SENS_DEFAULTS.accessKey,
          baseUrl: 'http://127.0.0.1:9',
          ...config,
        },
      },
    ]);

  it('stops start-up naming the plugin and the field of a bad config, without printing the secret', async () => {
    const failure = await startTestApp({
      env: { MUNJA_PLUGINS: sens({ secretKey: 'TOP SECRET VALUE' }) },
    }).then(
      async (t) => {
        await t.close();
        return undefined;
      },
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(
      /Invalid plugin configuration:\n {2}plugin sens \(@munja\/provider-sens\) config\.secretKey/,
    );
    expect(failure?.message).not.toContain('TOP SECRET VALUE');
  });

  it('stops start-up when the route table names a plugin that is not loaded', async () => {
    const failure = await startTestApp({
      env: {
        MUNJA_PLUGINS: sens({ secretKey: SENS_DEFAULTS.secretKey }),
        MUNJA_ROUTES: JSON.stringify([{ countryCode: '*', plugins: ['omni'] }]),
      },
    }).then(
      async (t) => {
        await t.close();
        return undefined;
      },
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/MUNJA_ROUTES\[0\]\.plugins: names plugin "omni", which is not loaded/);
  });
});
