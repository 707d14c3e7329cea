import { describe, expect, it } from '@jest/globals';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './database-unavailable';

function driverError(code: string, message = 'x'): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnavailable', () => {
  it.each([
    driverError('ECONNREFUSED'),
    driverError('57P01', 'terminating connection due to administrator command'),
    driverError('08006'),
    new Error('Connection terminated unexpectedly'),
    new QueryFailedError('SELECT 1', [], driverError('57P03')),
    new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
  ])('reads %s as the database being unreachable', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    driverError('23505', 'duplicate key value violates unique constraint'),
    new QueryFailedError(
      'SELECT',
      [],
      driverError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
    ),
    new Error('something else'),
    undefined,
    'a string',
  ])('does not read %s as unreachable (a refused query is not an outage)', (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});
