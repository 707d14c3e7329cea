import { describe, expect, it } from '@jest/globals';
import { parseVendorTime, toDeliveryReport, type SensMessageResult } from './report-mapping';

const NOW = new Date('2026-11-22T03:00:00Z');
const known = { ref: 'm-1', vendorMessageId: 'f574d3f0-0000-0000-0000-daa31f50eaf5' };
const base: SensMessageResult = {
  requestId: 'VORSSA-1',
  messageId: known.vendorMessageId,
  requestTime: '2026-11-22 11:59:58',
  contentType: 'COMM',
  type: 'SMS',
  countryCode: '82',
  from: '0215880000',
  to: '01012345678',
  content: 'x',
};

describe('SENS result → canonical report', () => {
  it('READY: nothing to report yet', () => {
    expect(toDeliveryReport({ ...base, status: 'READY' }, known, NOW)).toBeUndefined();
  });

  it('PROCESSING → SENT (with the carrier), not final', () => {
    expect(toDeliveryReport({ ...base, status: 'PROCESSING' }, known, NOW)).toMatchObject({
      status: 'SENT',
      reportedAt: NOW,
    });
  });

  it('COMPLETED + success → DELIVERED, with code, telco, times (KST) and the raw result', () => {
    const result = {
      ...base,
      status: 'COMPLETED',
      statusCode: '0',
      statusName: 'success',
      statusMessage: '성공',
      completeTime: '2026-11-22 12:00:03',
      telcoCode: 'SKT',
    };
    expect(toDeliveryReport(result, known, NOW)).toEqual({
      pluginId: 'sens',
      ref: 'm-1',
      vendorMessageId: known.vendorMessageId,
      status: 'DELIVERED',
      vendorCode: '0',
      vendorMessage: '성공',
      telco: 'SKT',
      sentAt: new Date('2026-11-22T02:59:58Z'),
      completedAt: new Date('2026-11-22T03:00:03Z'),
      reportedAt: new Date('2026-11-22T03:00:03Z'),
      raw: result,
    });
  });

  it('COMPLETED + fail → FAILED with the vendor code and text', () => {
    expect(
      toDeliveryReport(
        { ...base, status: 'COMPLETED', statusCode: '3018', statusName: 'fail', statusMessage: '수신 불가' },
        known,
        NOW,
      ),
    ).toMatchObject({ status: 'FAILED', vendorCode: '3018', vendorMessage: '수신 불가', reportedAt: NOW });
  });

  it.each([
    ['2026-11-22 12:00:03', '2026-11-22T03:00:03.000Z'],
    ['2026-11-22T12:00:03.358', '2026-11-22T03:00:03.358Z'],
    ['2026-11-22', undefined],
    ['', undefined],
  ])('vendor time %j → %s', (text, iso) => {
    expect(parseVendorTime(text)?.toISOString()).toBe(iso);
  });
});
