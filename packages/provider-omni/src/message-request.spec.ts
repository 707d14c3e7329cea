import { describe, expect, it } from '@jest/globals';
import type { Channel, OutboundMessage } from '@munja/provider-kit';
import { OMNI_PROFILE } from './limit-profile';
import { planRequest } from './message-request';

const msg = (channel: Channel, content: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  ref: 'r1',
  channel,
  contentType: 'COMM',
  from: '0310000000',
  to: channel === 'INTL' ? '4155550100' : '01012345678',
  countryCode: channel === 'INTL' ? '1' : '82',
  content,
  ...extra,
});

const codeOf = (m: OutboundMessage) => {
  const planned = planRequest(m, OMNI_PROFILE);
  return planned.ok ? 'OK' : planned.rejection.code;
};

describe('planRequest: international', () => {
  it('builds /v1/send/international with an E.164 recipient, the text untouched and our ref', () => {
    const planned = planRequest(msg('INTL', 'a'.repeat(161)), OMNI_PROFILE);
    expect(planned).toEqual({
      ok: true,
      request: {
        path: '/v1/send/international',
        body: { from: '0310000000', to: '+14155550100', text: 'a'.repeat(161), ref: 'r1' },
        parts: 2,
      },
    });
  });

  it.each([
    ['765 GSM-7 characters (5 parts)', 'a'.repeat(765), 'OK'],
    ['766 GSM-7 characters (6 parts)', 'a'.repeat(766), 'TOO_MANY_PARTS'],
    ['335 UCS-2 characters (5 parts)', '가'.repeat(335), 'OK'],
    ['336 UCS-2 characters (6 parts)', '가'.repeat(336), 'TOO_MANY_PARTS'],
    ['an empty text', '', 'CONTENT_EMPTY'],
  ])('%s → %s', (_name, content, code) => {
    expect(codeOf(msg('INTL', content))).toBe(code);
  });

  it('refuses an over-long text as a rejection naming the field, not a throw', () => {
    const planned = planRequest(msg('INTL', '😀'.repeat(200)), OMNI_PROFILE);
    expect(planned).toMatchObject({ ok: false, rejection: { code: 'TOO_MANY_PARTS', field: 'content' } });
  });
});

describe('planRequest: domestic', () => {
  it.each([
    ['SMS of 90 ASCII bytes', msg('SMS', 'a'.repeat(90)), 'OK'],
    ['SMS of 91 ASCII bytes', msg('SMS', 'a'.repeat(91)), 'CONTENT_TOO_LONG'],
    ['SMS of 45 Hangul (90 bytes)', msg('SMS', '가'.repeat(45)), 'OK'],
    ['SMS of 46 Hangul (92 bytes)', msg('SMS', '가'.repeat(46)), 'CONTENT_TOO_LONG'],
    ['SMS with an emoji', msg('SMS', 'hi 😀'), 'UNENCODABLE_CHARACTER'],
    ['SMS with a subject', msg('SMS', 'hi', { subject: 's' }), 'SUBJECT_NOT_ALLOWED'],
    ['LMS of 2000 bytes', msg('LMS', '가'.repeat(1000)), 'OK'],
    ['LMS of 2001 bytes', msg('LMS', `${'가'.repeat(1000)}a`), 'CONTENT_TOO_LONG'],
    ['LMS subject of 40 bytes', msg('LMS', 'x', { subject: '가'.repeat(20) }), 'OK'],
    ['LMS subject of 41 bytes', msg('LMS', 'x', { subject: `${'가'.repeat(20)}a` }), 'SUBJECT_TOO_LONG'],
    ['LMS with a file', msg('LMS', 'x', { fileIds: ['f'] }), 'FILES_NOT_ALLOWED'],
    ['MMS without a file', msg('MMS', 'x'), 'FILES_MISSING'],
    ['MMS with 3 files', msg('MMS', 'x', { fileIds: ['a', 'b', 'c'] }), 'OK'],
    ['MMS with 4 files', msg('MMS', 'x', { fileIds: ['a', 'b', 'c', 'd'] }), 'TOO_MANY_FILES'],
    ['a ref of 200 characters', msg('SMS', 'x', { ref: 'r'.repeat(200) }), 'OK'],
    ['a ref of 201 characters', msg('SMS', 'x', { ref: 'r'.repeat(201) }), 'REF_TOO_LONG'],
  ])('%s → %s', (_name, m, code) => {
    expect(codeOf(m)).toBe(code);
  });

  it('sends SMS to /v1/send/sms, LMS and MMS to /v1/send/mms with title and fileKey', () => {
    expect(planRequest(msg('SMS', 'hi'), OMNI_PROFILE)).toMatchObject({
      ok: true,
      request: {
        path: '/v1/send/sms',
        body: { from: '0310000000', to: '01012345678', text: 'hi', ref: 'r1' },
      },
    });
    const lms = planRequest(msg('LMS', 'long', { subject: '제목' }), OMNI_PROFILE);
    expect(lms).toMatchObject({ ok: true, request: { path: '/v1/send/mms', body: { title: '제목' } } });
    expect(lms.ok && 'fileKey' in lms.request.body).toBe(false);
    expect(planRequest(msg('MMS', 'pic', { fileIds: ['k1', 'k2'] }), OMNI_PROFILE)).toMatchObject({
      ok: true,
      request: { path: '/v1/send/mms', body: { fileKey: ['k1', 'k2'] } },
    });
  });
});
