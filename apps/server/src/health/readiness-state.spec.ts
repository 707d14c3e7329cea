import { Logger } from '@nestjs/common';
import { describe, expect, it, jest } from '@jest/globals';
import { ReadinessState } from './readiness-state';

describe('ReadinessState', () => {
  it('logs a change of state once, not every probe', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    try {
      const state = new ReadinessState();
      const up = { database: { status: 'up' as const } };
      const down = { database: { status: 'down' as const, reason: 'connection refused' } };
      state.record(up);
      for (let i = 0; i < 37; i++) state.record(down);
      state.record({ ...down, 'plugin:omni': { status: 'down', reason: 'timed out' } });
      for (let i = 0; i < 5; i++) state.record(up);
      expect(warn.mock.calls.map((call) => call[0])).toEqual([
        'not ready: database: connection refused',
        'not ready: database: connection refused; plugin:omni: timed out',
      ]);
      expect(log.mock.calls.map((call) => call[0])).toEqual(['ready again']);
    } finally {
      warn.mockRestore();
      log.mockRestore();
    }
  });
});
