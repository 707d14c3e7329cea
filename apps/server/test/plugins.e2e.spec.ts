import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PluginRegistry } from '../src/plugins/plugin-registry';
import { EMBEDDED_SIMULATOR } from '../src/plugins/plugins.module';
import type { EmbeddedSimulator } from '../src/plugins/embedded-simulator';
import { startTestApp, type TestApp } from './test-app';

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
    expect(ready.status).toBe(200);
    expect(Object.keys(ready.body.details as object)).toEqual(
      expect.arrayContaining(['database', 'plugin:sens', 'plugin:omni']),
    );
  });
});
