import { describe, expect, it } from '@jest/globals';
import { PluginConfigError } from '@munja/provider-kit';
import { CONFIG_DEFAULTS, validateOmniConfig } from './config';

const SECRET = 'very-secret-password';
const valid = { clientId: 'munja', password: SECRET };

function fieldOf(raw: unknown): string {
  try {
    validateOmniConfig(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginConfigError);
    const e = error as PluginConfigError;
    expect(e.pluginId).toBe('omni');
    expect(e.message).not.toContain(SECRET);
    return e.field;
  }
  throw new Error('accepted');
}

describe('validateOmniConfig', () => {
  it('fills the defaults: the vendor base URL, reports by polling and webhook', () => {
    expect(validateOmniConfig(valid)).toEqual({ ...valid, ...CONFIG_DEFAULTS });
    expect(CONFIG_DEFAULTS.baseUrl).toBe('https://omni.ibapi.kr');
  });

  it('keeps a path prefix and drops a trailing slash', () => {
    expect(validateOmniConfig({ ...valid, baseUrl: 'http://127.0.0.1:9090/omni/' }).baseUrl).toBe(
      'http://127.0.0.1:9090/omni',
    );
  });

  it.each([
    ['null', null, '(root)'],
    ['an array', [], '(root)'],
    ['no clientId', { password: SECRET }, 'clientId'],
    ['blank clientId', { clientId: '  ', password: SECRET }, 'clientId'],
    ['no password', { clientId: 'munja' }, 'password'],
    ['password with a newline', { clientId: 'munja', password: `${SECRET}\n` }, 'password'],
    ['baseUrl with credentials', { ...valid, baseUrl: `https://u:${SECRET}@omni.ibapi.kr` }, 'baseUrl'],
    ['baseUrl with a query', { ...valid, baseUrl: 'https://omni.ibapi.kr/?a=1' }, 'baseUrl'],
    ['baseUrl not a URL', { ...valid, baseUrl: SECRET }, 'baseUrl'],
    ['connections 0', { ...valid, connections: 0 }, 'connections'],
    ['connections 1025', { ...valid, connections: 1025 }, 'connections'],
    ['sendConcurrency 1.5', { ...valid, sendConcurrency: 1.5 }, 'sendConcurrency'],
    ['requestTimeoutMs 999', { ...valid, requestTimeoutMs: 999 }, 'requestTimeoutMs'],
    ['tokenRefreshMarginMs -1', { ...valid, tokenRefreshMarginMs: -1 }, 'tokenRefreshMarginMs'],
    ['rateLimitBackoffMs 60001', { ...valid, rateLimitBackoffMs: 60_001 }, 'rateLimitBackoffMs'],
    ['reports "push"', { ...valid, reports: 'push' }, 'reports'],
    ['an unknown key', { ...valid, secret: SECRET }, 'secret'],
  ])('refuses %s, naming the field and never the secret', (_name, raw, field) => {
    expect(fieldOf(raw)).toBe(field);
  });

  it.each([
    ['connections', 1],
    ['connections', 1024],
    ['requestTimeoutMs', 1000],
    ['rateLimitBackoffMs', 60_000],
    ['tokenRefreshMarginMs', 0],
  ])('accepts %s at its limit %d', (field, value) => {
    expect(validateOmniConfig({ ...valid, [field]: value })).toMatchObject({ [field]: value });
  });
});
