import { describe, expect, it, jest } from '@jest/globals';
import { definePlugin, PluginConfigError, type Provider } from '@munja/provider-kit';
import { OMNI_SENDER_POLICIES } from '@munja/provider-omni';
import { PROFILES, SENDER_POLICIES } from '@munja/rules';
import { systemClock } from '../common/clock';
import { readPluginEntries, readRouteRules } from './plugin-config';
import { buildRegistry } from './plugin-setup';

// A third party's plugin package, resolved by its name like any installed package.
jest.mock(
  'munja-plugin-acme',
  () => ({
    __esModule: true,
    default: definePlugin<{ token: string }>({
      id: 'acme',
      displayName: 'Acme SMS',
      channels: ['INTL'],
      limitProfile: PROFILES.SENS,
      maxRecipientsPerCall: 10,
      validateConfig: (raw) => {
        const token = (raw as { token?: unknown }).token;
        if (typeof token !== 'string') throw new PluginConfigError('acme', 'token', 'is required');
        return { token };
      },
      create: (): Provider => ({ pluginId: 'acme', send: async () => [] }),
    }),
  }),
  { virtual: true },
);
jest.mock('munja-not-a-plugin', () => ({ hello: 'world' }), { virtual: true });
// A plain-JavaScript plugin whose sender policy names China's signature the old way (a bare string).
jest.mock(
  'munja-plugin-bad-policy',
  () => ({
    __esModule: true,
    default: {
      id: 'bad',
      displayName: 'Bad',
      channels: ['INTL'],
      limitProfile: PROFILES.SENS,
      maxRecipientsPerCall: 1,
      senderPolicies: {
        countries: { '86': { countryCode: '86', country: 'CN', sender: 'RANDOM', signature: '【X】' } },
        fallback: null,
      },
      validateConfig: (raw: unknown) => raw,
      create: (): Provider => ({ pluginId: 'bad', send: async () => [] }),
    },
  }),
  { virtual: true },
);

const sens = (config: Record<string, unknown> = {}) => ({
  package: '@munja/provider-sens',
  config: {
    serviceId: 'ncp:sms:kr:1:x',
    accessKey: 'AK',
    secretKey: 'SK',
    baseUrl: 'http://127.0.0.1:9',
    ...config,
  },
});
const omni = {
  package: '@munja/provider-omni',
  config: { clientId: 'c', password: 'p', baseUrl: 'http://127.0.0.1:9' },
};

describe('buildRegistry', () => {
  it('loads a third-party plugin package by name and routes to it', async () => {
    const registry = buildRegistry(
      [sens(), { package: 'munja-plugin-acme', config: { token: 't' } }],
      JSON.stringify([
        { countryCode: '82', plugins: ['sens'] },
        { countryCode: '*', plugins: ['acme'] },
      ]),
      systemClock,
    );
    expect(registry.ids()).toEqual(['sens', 'acme']);
    expect(registry.route({ countryCode: '1', contentType: 'COMM' }).pluginIds).toEqual(['acme']);
    await registry.closeAll();
  });

  it("answers the routed plugin's sender policy: its own, or the as-written default when it declares none", async () => {
    const registry = buildRegistry(
      [sens(), omni, { package: 'munja-plugin-acme', config: { token: 't' } }],
      JSON.stringify([
        { countryCode: '82', plugins: ['sens'] },
        { countryCode: '86', plugins: ['omni'] },
        { countryCode: '*', plugins: ['acme'] },
      ]),
      systemClock,
    );
    expect(registry.route({ countryCode: '86', contentType: 'COMM' }).senderPolicies).toBe(
      OMNI_SENDER_POLICIES,
    );
    expect(registry.route({ countryCode: '1', contentType: 'COMM' }).senderPolicies).toBe(
      SENDER_POLICIES.AS_WRITTEN,
    );
    expect(registry.route({ countryCode: '82', contentType: 'COMM' }).senderPolicies).toBe(
      SENDER_POLICIES.SENS,
    );
    await registry.closeAll();
  });

  it('abroad, keeps only the fallbacks that treat the country as the primary does (the text is planned once)', async () => {
    const registry = buildRegistry(
      [omni, { package: 'munja-plugin-acme', config: { token: 't' } }],
      JSON.stringify([{ countryCode: '*', plugins: ['omni', 'acme'] }]),
      systemClock,
    );
    // China: OMNI wants the sender's own signature, acme (no declared policy) sends as written → acme left out
    expect(registry.route({ countryCode: '86', contentType: 'COMM' }).pluginIds).toEqual(['omni']);
    // elsewhere both send the text as written, the number as entered → acme stays the fallback
    expect(registry.route({ countryCode: '1', contentType: 'COMM' }).pluginIds).toEqual(['omni', 'acme']);
    await registry.closeAll();
  });

  it('refuses at start-up a plugin whose sender policy is malformed, naming what is wrong', () => {
    expect(() =>
      buildRegistry([{ package: 'munja-plugin-bad-policy', config: {} }], undefined, systemClock),
    ).toThrow(/munja-plugin-bad-policy.*senderPolicies\.countries\['86'\]\.signature/);
  });

  it('names the plugin and the field of a bad config, never the secret value', () => {
    const run = () => buildRegistry([sens({ secretKey: 'has a space SECRET' })], undefined, systemClock);
    expect(run).toThrow(/plugin sens \(@munja\/provider-sens\) config\.secretKey/);
    expect(run).not.toThrow(/SECRET/);
    expect(() => buildRegistry([sens({ accessKey: undefined })], undefined, systemClock)).toThrow(
      /accessKey.*is required/,
    );
    expect(() =>
      buildRegistry([{ package: 'munja-plugin-acme', config: {} }], undefined, systemClock),
    ).toThrow(/plugin acme \(munja-plugin-acme\) config\.token/);
  });

  it('refuses packages that are missing or export no plugin, and ids loaded twice', () => {
    expect(() => buildRegistry([{ package: 'munja-nowhere-9', config: {} }], undefined, systemClock)).toThrow(
      /plugins\[0\]\.package: package "munja-nowhere-9" is not installed/,
    );
    expect(() =>
      buildRegistry([{ package: 'munja-not-a-plugin', config: {} }], undefined, systemClock),
    ).toThrow(/does not export a plugin definition/);
    expect(() => buildRegistry([sens(), sens()], undefined, systemClock)).toThrow(
      /plugin id "sens" is loaded twice/,
    );
    const renamed = buildRegistry([sens(), { ...sens(), id: 'sens-backup' }], undefined, systemClock);
    expect(renamed.ids()).toEqual(['sens', 'sens-backup']);
    void renamed.closeAll();
  });

  it('checks the route table against what the loaded plugins carry', () => {
    expect(() =>
      buildRegistry([sens(), omni], JSON.stringify([{ countryCode: '82', plugins: ['nope'] }]), systemClock),
    ).toThrow(/MUNJA_ROUTES\[0\]\.plugins: names plugin "nope", which is not loaded/);
    expect(() =>
      buildRegistry([sens(), omni], JSON.stringify([{ countryCode: '1', plugins: ['sens'] }]), systemClock),
    ).toThrow(/plugin "sens" carries SMS, LMS, MMS, none of INTL/);
    expect(() =>
      buildRegistry(
        [sens()],
        JSON.stringify([{ countryCode: '82', type: 'INTL', plugins: ['sens'] }]),
        systemClock,
      ),
    ).toThrow(/INTL cannot apply to country 82/);
  });

  it('keeps only the default routes whose plugins are loaded', async () => {
    const registry = buildRegistry([sens()], undefined, systemClock);
    expect(registry.route({ countryCode: '82', type: 'LMS', contentType: 'AD' }).pluginIds).toEqual(['sens']);
    expect(() => registry.route({ countryCode: '1', contentType: 'COMM' })).toThrow(/no route for country 1/);
    await registry.closeAll();
  });
});

describe('reading the settings', () => {
  it('reads plugin entries and refuses malformed ones with the setting named', () => {
    expect(readPluginEntries(undefined, undefined)).toBeUndefined();
    expect(readPluginEntries('[{"package":"p","config":{"a":1}}]', undefined)).toEqual([
      { package: 'p', id: undefined, config: { a: 1 } },
    ]);
    expect(() => readPluginEntries('{', undefined)).toThrow(/^MUNJA_PLUGINS: is not valid JSON/);
    expect(() => readPluginEntries('[]', undefined)).toThrow(/MUNJA_PLUGINS: must be a non-empty JSON array/);
    expect(() => readPluginEntries('[{"config":{}}]', undefined)).toThrow(
      /MUNJA_PLUGINS\[0\]\.package: is required/,
    );
    expect(() => readPluginEntries('[{"package":"p","id":"Bad Id"}]', undefined)).toThrow(
      /MUNJA_PLUGINS\[0\]\.id/,
    );
    expect(() => readPluginEntries(undefined, '/nonexistent/plugins.json')).toThrow(
      /MUNJA_PLUGINS_FILE: cannot read/,
    );
  });

  it('reads route rules with wildcards and refuses bad ones', () => {
    expect(readRouteRules('[{"countryCode":"82","plugins":["sens","omni"]}]')).toEqual([
      { countryCode: '82', type: '*', contentType: '*', plugins: ['sens', 'omni'] },
    ]);
    expect(() => readRouteRules('[{"countryCode":"+82","plugins":["a"]}]')).toThrow(
      /MUNJA_ROUTES\[0\]\.countryCode/,
    );
    expect(() => readRouteRules('[{"type":"FAX","plugins":["a"]}]')).toThrow(/MUNJA_ROUTES\[0\]\.type/);
    expect(() => readRouteRules('[{"contentType":"SPAM","plugins":["a"]}]')).toThrow(
      /MUNJA_ROUTES\[0\]\.contentType/,
    );
    expect(() => readRouteRules('[{"plugins":[]}]')).toThrow(/MUNJA_ROUTES\[0\]\.plugins/);
    expect(() => readRouteRules('[{"plugins":["a","a"]}]')).toThrow(/must not name a plugin twice/);
  });
});
