import { describe, expect, it } from '@jest/globals';
import { PluginConfigError } from '@munja/provider-kit';
import { DEFAULT_BASE_URL, validateSensConfig } from './config';

const SECRET = 'Sup3rS3cretValue';
const good = { serviceId: 'ncp:sms:kr:123456789012:munja', accessKey: 'AKIDEXAMPLE', secretKey: SECRET };

describe('validateSensConfig', () => {
  it('fills the defaults: public-region base URL, 10 s timeout, 8 connections', () => {
    expect(validateSensConfig(good)).toEqual({
      ...good,
      baseUrl: DEFAULT_BASE_URL,
      timeoutMs: 10_000,
      concurrency: 8,
    });
  });

  it('keeps a path prefix and drops a trailing slash', () => {
    expect(validateSensConfig({ ...good, baseUrl: 'http://127.0.0.1:9090/' }).baseUrl).toBe(
      'http://127.0.0.1:9090',
    );
    expect(validateSensConfig({ ...good, baseUrl: 'https://proxy.example/sens/' }).baseUrl).toBe(
      'https://proxy.example/sens',
    );
  });

  it.each([
    ['timeoutMs', 100, true],
    ['timeoutMs', 99, false],
    ['timeoutMs', 120_000, true],
    ['timeoutMs', 120_001, false],
    ['concurrency', 1, true],
    ['concurrency', 0, false],
    ['concurrency', 64, true],
    ['concurrency', 65, false],
  ])('%s = %i accepted: %s', (field, value, ok) => {
    const run = (): unknown => validateSensConfig({ ...good, [field]: value });
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow(PluginConfigError);
  });

  it.each([
    [null, 'config'],
    [[], 'config'],
    [{ ...good, serviceId: '' }, 'serviceId'],
    [{ ...good, serviceId: 'ncp:sms:kr:1:a b' }, 'serviceId'],
    [{ ...good, accessKey: undefined }, 'accessKey'],
    [{ ...good, secretKey: `${SECRET} ` }, 'secretKey'],
    [{ ...good, secretKey: ['x'] }, 'secretKey'],
    [{ ...good, baseUrl: 'ftp://sens' }, 'baseUrl'],
    [{ ...good, baseUrl: `https://user:${SECRET}@sens.example` }, 'baseUrl'],
    [{ ...good, baseUrl: 'https://sens.example/#x' }, 'baseUrl'],
    [{ ...good, timeoutMs: '1000' }, 'timeoutMs'],
  ])('%j → PluginConfigError naming %s, never the secret', (raw, field) => {
    let thrown: unknown;
    try {
      validateSensConfig(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PluginConfigError);
    expect(thrown).toMatchObject({ pluginId: 'sens', field });
    expect((thrown as Error).message).not.toContain(SECRET);
  });
});
