import { describe, expect, it } from '@jest/globals';
import { validateEnvironment } from './environment';

const OPERATOR = { MUNJA_OPERATOR_KEY: 'o'.repeat(30) };
const POSTGRES = { DATABASE_URL: 'postgres://127.0.0.1/munja', ...OPERATOR };

describe('validateEnvironment: safe defaults', () => {
  it('seeds the demo project on the embedded database only, unless asked for by name', () => {
    expect(validateEnvironment({}).MUNJA_DEMO).toBe(true);
    expect(validateEnvironment(POSTGRES).MUNJA_DEMO).toBe(false);
    expect(validateEnvironment({ ...POSTGRES, MUNJA_DEMO: 'true' }).MUNJA_DEMO).toBe(true);
    expect(validateEnvironment({ MUNJA_DEMO: 'false' }).MUNJA_DEMO).toBe(false);
    // An empty value counts as unset.
    expect(validateEnvironment({ ...POSTGRES, MUNJA_DEMO: '' }).MUNJA_DEMO).toBe(false);
  });

  it('refuses a report secret shorter than 24 characters, naming the variable', () => {
    expect(() => validateEnvironment({ MUNJA_REPORT_SECRET: 'x'.repeat(23) })).toThrow(
      /MUNJA_REPORT_SECRET must be at least 24 characters/,
    );
    expect(validateEnvironment({ MUNJA_REPORT_SECRET: 'x'.repeat(24) }).MUNJA_REPORT_SECRET).toHaveLength(24);
  });

  it('does not repeat a refused secret in the message', () => {
    let message = '';
    try {
      validateEnvironment({ MUNJA_REPORT_SECRET: 'short-secret-17ch', MUNJA_OPERATOR_KEY: 'tiny-operator' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('MUNJA_REPORT_SECRET');
    expect(message).toContain('MUNJA_OPERATOR_KEY');
    expect(message).not.toContain('short-secret-17ch');
    expect(message).not.toContain('tiny-operator');
  });
});
