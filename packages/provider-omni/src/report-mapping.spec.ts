import { describe, expect, it } from '@jest/globals';
import { PermanentError } from '@munja/provider-kit';
import { mapOmniReport, parseOmniTime } from './report-mapping';

const received = new Date('2026-11-22T00:00:00Z');

const intl = (reportType: string, reportCode: string, reportText: string) => ({
  msgKey: 'K1',
  serviceType: 'INTERNATIONAL',
  msgType: 'IM',
  sendTime: '2026-11-22T09:00:00+09:00',
  reportTime: '2026-11-22T09:00:05+09:00',
  reportType,
  reportCode,
  reportText,
  carrier: '10001',
  resCnt: 3,
  ref: 'our-ref',
});

const domestic = (msgType: 'SM' | 'LM' | 'MM', reportCode: string) => ({
  msgKey: 'D1',
  serviceType: msgType === 'SM' ? 'SMS' : 'MMS',
  msgType,
  sendTime: '2026-11-22T09:00:00+09:00',
  reportTime: '2026-11-22T09:00:02+09:00',
  reportType: '0',
  reportCode,
  reportText: 'x',
  carrier: '10002',
});

describe('mapOmniReport: international, two reports per message', () => {
  it('maps the relay acceptance to SENT, not final, keeping the vendor fields', () => {
    const raw = intl('0', '10000', 'Success');
    expect(mapOmniReport(raw, received)).toEqual({
      pluginId: 'omni',
      ref: 'our-ref',
      vendorMessageId: 'K1',
      status: 'SENT',
      vendorCode: '10000',
      vendorMessage: 'Success',
      telco: '10001',
      sentAt: new Date('2026-11-22T00:00:00Z'),
      completedAt: undefined,
      reportedAt: new Date('2026-11-22T00:00:05Z'),
      parts: 3,
      raw,
    });
  });

  it('maps a relay refusal to FAILED', () => {
    expect(mapOmniReport(intl('0', '20001', 'Unknown subscriber'), received).status).toBe('FAILED');
  });

  it.each([
    ['10000', 'DELIVERED'],
    ['20001', 'FAILED'],
    ['20002', 'EXPIRED'],
    ['39999', 'FAILED'],
  ])('maps the DLR with code %s to %s, with its completion time', (code, status) => {
    const report = mapOmniReport(intl('1', code, 'text'), received);
    expect(report.status).toBe(status);
    expect(report.vendorCode).toBe(code);
    expect(report.completedAt).toEqual(new Date('2026-11-22T00:00:05Z'));
    expect(report.parts).toBe(3);
  });

  it.each([
    [{ resCnt: 2 }, 2],
    [{ resCnt: '4' }, 4],
    [{ res: '3' }, 3], // the Java SDK's name for it
    [{ resCnt: 0 }, undefined],
    [{ resCnt: 'x' }, undefined],
  ])('reads the parts from %p as %p', (fields, parts) => {
    const { resCnt: _r, ...raw } = intl('1', '10000', 'Success');
    expect(mapOmniReport({ ...raw, ...fields }, received).parts).toBe(parts);
  });

  it('recognises an international report by msgType alone', () => {
    const { serviceType: _s, ...raw } = intl('0', '10000', 'Success');
    expect(mapOmniReport(raw, received).status).toBe('SENT');
  });
});

describe('mapOmniReport: domestic SMS/LMS/MMS (one final report)', () => {
  it.each([
    ['SM', '10000', 'DELIVERED'],
    ['LM', '10000', 'DELIVERED'],
    ['MM', '10000', 'DELIVERED'],
    ['SM', '20001', 'FAILED'],
    ['MM', '20002', 'EXPIRED'],
  ] as const)('%s with code %s is %s (reportType "0" is final for domestic)', (msgType, code, status) => {
    const report = mapOmniReport(domestic(msgType, code), received);
    expect(report.status).toBe(status);
    expect(report.telco).toBe('10002');
    expect(report.parts).toBeUndefined();
    expect(report.ref).toBeUndefined();
  });
});

describe('mapOmniReport: payloads it cannot read', () => {
  it.each([
    ['a string', 'report'],
    ['null', null],
    ['an array', []],
    ['no msgKey', { reportCode: '10000' }],
    ['no reportCode', { msgKey: 'K' }],
  ])('throws PermanentError on %s', (_name, raw) => {
    expect(() => mapOmniReport(raw, received)).toThrow(PermanentError);
  });

  it('falls back to the time it was received when reportTime is missing or unreadable', () => {
    const report = mapOmniReport({ ...domestic('SM', '10000'), reportTime: 'yesterday' }, received);
    expect(report.reportedAt).toBe(received);
  });
});

describe('parseOmniTime', () => {
  it.each([
    ['2026-11-22T09:00:00+09:00', '2026-11-22T00:00:00.000Z'],
    ['2026-11-22T09:00:00.250', '2026-11-22T00:00:00.250Z'], // webhook form, no offset: Korean time
    ['2026-11-22T09:00:00', '2026-11-22T00:00:00.000Z'],
    ['2026-11-22T00:00:00Z', '2026-11-22T00:00:00.000Z'],
  ])('%s is %s', (value, iso) => {
    expect(parseOmniTime(value)?.toISOString()).toBe(iso);
  });

  it.each([[''], ['not a time'], [undefined], [12]])('%p is undefined', (value) => {
    expect(parseOmniTime(value)).toBeUndefined();
  });
});
