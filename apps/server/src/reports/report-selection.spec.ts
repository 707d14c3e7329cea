import { describe, expect, it } from '@jest/globals';
import type { DeliveryReport, DeliveryStatus } from '@munja/provider-kit';
import { decisiveReports, messageIdOfRef } from './report-selection';

const report = (vendorMessageId: string, status: DeliveryStatus, vendorCode = status): DeliveryReport => ({
  pluginId: 'omni',
  vendorMessageId,
  status,
  vendorCode,
  reportedAt: new Date(0),
  raw: null,
});

describe('decisiveReports', () => {
  it('lets the first final report of a message decide; later finals and intermediates do not override it', () => {
    const chosen = decisiveReports([
      report('a', 'SENT'),
      report('a', 'DELIVERED'),
      report('a', 'FAILED'),
      report('a', 'SENT'),
      report('b', 'SENT'),
      report('c', 'EXPIRED'),
      report('c', 'DELIVERED'),
    ]);
    expect(chosen.map((r) => [r.vendorMessageId, r.status])).toEqual([
      ['a', 'DELIVERED'],
      ['b', 'SENT'],
      ['c', 'EXPIRED'],
    ]);
  });

  it('keeps messages of different plugins apart even with equal vendor ids', () => {
    expect(
      decisiveReports([report('a', 'DELIVERED'), { ...report('a', 'FAILED'), pluginId: 'sens' }]),
    ).toHaveLength(2);
  });
});

describe('messageIdOfRef', () => {
  it.each([
    ['0b6f8a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b', '0b6f8a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b'],
    ['0B6F8A5E-1C2D-4E3F-8A9B-0C1D2E3F4A5B', '0b6f8a5e-1c2d-4e3f-8a9b-0c1d2e3f4a5b'],
    ['not-a-uuid', null],
    ["'; DROP TABLE messages; --", null],
    [undefined, null],
  ])('%s → %s', (ref, expected) => {
    expect(messageIdOfRef(ref)).toBe(expected);
  });
});
