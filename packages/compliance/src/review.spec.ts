import { describe, it, expect } from '@jest/globals';
import { PROFILES, type SenderPolicyTable } from '@munja/rules';
import {
  blockListCandidates,
  reviewRequest,
  type PlannedDomesticMessage,
  type PlannedInternationalMessage,
  type ReviewRequest,
} from './review';
import { applyOptOutService, cancelOptOutService, stopOptOutService } from './opt-out-service';
import { callingNumber, completeService, context, FROM, NOON_SEOUL } from './review.fixtures.test-helpers';

const footer = '무료거부 080-1234-5678';

function request(overrides: Partial<ReviewRequest> = {}): ReviewRequest {
  return { from: FROM, content: '안녕하세요', messages: [{ to: '010-1111-2222' }], ...overrides };
}

describe('reviewRequest: a plain COMM request', () => {
  it('plans every recipient with number, E.164, type, bytes and send time', () => {
    const result = reviewRequest(
      request({ messages: [{ to: '010-1111-2222' }, { to: '+82 10 3333 4444' }] }),
      context(),
    );
    expect(result).toEqual({
      ok: true,
      errors: [],
      contentType: 'COMM',
      countryCode: '82',
      from: '0212345678',
      policy: { nightWindow: 'reject', adLabel: 'insert' },
      requestedSendAt: NOON_SEOUL.toISOString(),
      sendAt: NOON_SEOUL.toISOString(),
      deferred: false,
      recipients: [
        {
          outcome: 'PLANNED',
          index: 0,
          to: '010-1111-2222',
          number: '01011112222',
          e164: '+821011112222',
          countryCode: '82',
          contentType: 'COMM',
          channel: 'SMS',
          reason: 'FITS_SMS',
          from: '0212345678',
          subject: null,
          content: '안녕하세요',
          contentBytes: 10,
          subjectBytes: 0,
          labels: [],
          sendAt: NOON_SEOUL.toISOString(),
        },
        expect.objectContaining({
          outcome: 'PLANNED',
          index: 1,
          number: '01033334444',
          e164: '+821033334444',
        }),
      ],
      summary: { total: 2, planned: 2, rejected: 0, blocked: 0 },
    });
  });

  it('is JSON-serializable as it is (the dry-run answer)', () => {
    const result = reviewRequest(request({ contentType: 'AD' }), context());
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('COMM is never filtered by the block list, and needs no 080 service', () => {
    const result = reviewRequest(
      request(),
      context({ blockList: new Set(['01011112222']), optOutService: null }),
    );
    expect(result.summary).toEqual({ total: 1, planned: 1, rejected: 0, blocked: 0 });
  });

  it('COMM at night is not moved or refused', () => {
    const night = new Date('2026-03-10T14:00:00Z'); // 23:00 Seoul
    const result = reviewRequest(request(), context({ now: night }));
    expect(result.ok).toBe(true);
    expect(result.sendAt).toBe(night.toISOString());
  });

  it('a bad recipient number refuses only that recipient', () => {
    const result = reviewRequest(request({ messages: [{ to: '010-1111-2222' }, { to: '12' }] }), context());
    expect(result.ok).toBe(true);
    expect(result.recipients[1]).toMatchObject({
      outcome: 'REJECTED',
      code: 'INVALID_PHONE_NUMBER',
      field: 'messages[1].to',
    });
    expect(result.summary).toEqual({ total: 2, planned: 1, rejected: 1, blocked: 0 });
  });
});

describe('reviewRequest: malformed recipients', () => {
  it('refuses a null entry or a missing number for that recipient only, and stays JSON-exact', () => {
    const result = reviewRequest(
      request({ messages: [{ to: '010-1111-2222' }, null as never, {} as never, { to: 1234 as never }] }),
      context(),
    );
    expect(
      result.recipients.map((r) => (r.outcome === 'REJECTED' ? `${r.code}@${r.field}` : r.outcome)),
    ).toEqual([
      'PLANNED',
      'INVALID_RECIPIENT@messages[1]',
      'INVALID_PHONE_NUMBER@messages[2].to',
      'INVALID_PHONE_NUMBER@messages[3].to',
    ]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });
});

describe('reviewRequest: request-level refusals', () => {
  it.each([
    ['READY', 'CALLING_NUMBER_NOT_APPROVED'],
    ['IN-PROGRESS', 'CALLING_NUMBER_NOT_APPROVED'],
    ['REJECTED', 'CALLING_NUMBER_NOT_APPROVED'],
  ] as const)('a %s calling number → %s', (status, code) => {
    const result = reviewRequest(request(), context({ callingNumbers: [callingNumber(FROM, status)] }));
    expect(result).toMatchObject({ ok: false, errors: [{ code, field: 'from' }], recipients: [] });
    expect(result.summary).toEqual({ total: 1, planned: 0, rejected: 1, blocked: 0 });
  });

  it('an unregistered calling number', () => {
    const result = reviewRequest(request({ from: '02-9999-9999' }), context());
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'CALLING_NUMBER_NOT_REGISTERED', field: 'from' }),
    ]);
  });

  const t = new Date('2026-01-01T00:00:00Z');
  it.each([
    ['absent', null],
    ['PROCESSING', applyOptOutService({ companyName: 'A' }, t)],
    ['CANCELED', cancelOptOutService(applyOptOutService({ companyName: 'A' }, t), t)],
    ['STOPPED', stopOptOutService(completeService(), t).service],
  ])('AD with the 080 service %s → AD_OPT_OUT_SERVICE_REQUIRED', (_name, service) => {
    const result = reviewRequest(request({ contentType: 'AD' }), context({ optOutService: service }));
    expect(result).toMatchObject({
      ok: false,
      errors: [{ code: 'AD_OPT_OUT_SERVICE_REQUIRED', field: 'contentType' }],
    });
  });

  it('reports every independent request problem at once', () => {
    const result = reviewRequest(
      request({ contentType: 'AD', from: '02-9999-9999', messages: [] }),
      context({ optOutService: null, now: new Date('2026-03-10T13:00:00Z') }),
    );
    expect(result.errors.map((e) => e.code)).toEqual([
      'CALLING_NUMBER_NOT_REGISTERED',
      'NO_RECIPIENTS',
      'AD_OPT_OUT_SERVICE_REQUIRED',
      'AD_NIGHT_WINDOW',
    ]);
  });

  it.each([undefined, new Date(Number.NaN), '2026-03-10T03:00:00Z'])(
    'a missing or invalid now (%s) is refused',
    (now) => {
      const result = reviewRequest(request(), context({ now: now as never }));
      expect(result).toMatchObject({ ok: false, errors: [{ code: 'INVALID_SEND_TIME', field: 'now' }] });
    },
  );

  it.each([
    [{ contentType: 'SPAM' as never }, 'INVALID_CONTENT_TYPE', 'contentType'],
    [{ countryCode: '999' }, 'INVALID_COUNTRY_CODE', 'countryCode'],
    [{ reserveTime: 'tomorrow' }, 'INVALID_SEND_TIME', 'reserveTime'],
    [
      { reserveTime: '2026-03-11 10:00', reserveTimeZone: 'Mars/Olympus' },
      'INVALID_SEND_TIME',
      'reserveTimeZone',
    ],
    [{ content: '' }, 'CONTENT_EMPTY', 'content'],
    [{ content: '😀' }, 'UNENCODABLE_CHARACTER', 'content'],
    [{ type: 'SMS' as const, content: 'a'.repeat(91) }, 'CONTENT_TOO_LONG', 'content'],
    [{ countryCode: '1', type: 'LMS' as const }, 'INVALID_TYPE', 'type'],
    [{ countryCode: '1', fileCount: 1 }, 'FILES_NOT_ALLOWED', 'files'],
    [{ countryCode: '1', contentType: 'AD' as const }, 'AD_INTERNATIONAL_NOT_SUPPORTED', 'contentType'],
  ])('%j → %s', (overrides, code, field) => {
    const result = reviewRequest(request(overrides), context());
    expect(result.ok).toBe(false);
    expect(result.errors).toContainEqual(expect.objectContaining({ code, field }));
  });
});

describe('reviewRequest: AD', () => {
  it('labels the text, recounts the bytes and filters the block list per recipient', () => {
    const result = reviewRequest(
      request({
        contentType: 'AD',
        content: '봄 세일',
        messages: [{ to: '010-1111-2222' }, { to: '010-3333-4444' }, { to: '010 5555 6666' }],
      }),
      context({ blockList: new Set(['01033334444', '01055556666']) }),
    );
    expect(result.ok).toBe(true);
    expect(result.summary).toEqual({ total: 3, planned: 1, rejected: 2, blocked: 2 });
    const planned = result.recipients[0] as PlannedDomesticMessage;
    expect(planned.content).toBe(`(광고)문자상사\n봄 세일\n${footer}`);
    expect(planned.labels).toEqual(['label', 'senderName', 'optOutNotice']);
    // (광고) 6 + 문자상사 8 + LF 1 + 봄 세일 7 + LF 1 + 무료거부 080-1234-5678 22 = 45 CP949 bytes
    expect(planned.contentBytes).toBe(45);
    expect(planned.channel).toBe('SMS');
    expect(result.recipients[1]).toEqual({
      outcome: 'REJECTED',
      index: 1,
      to: '010-3333-4444',
      code: 'BLOCKED',
      field: 'messages[1].to',
      message: "01033334444 is on the project's 080 opt-out list",
    });
    expect(result.recipients[2]).toMatchObject({
      outcome: 'REJECTED',
      code: 'BLOCKED',
      field: 'messages[2].to',
    });
  });

  it('an SMS that the labels push over 90 bytes becomes LMS when no type was asked for', () => {
    // label + sender + newline = 6 + 8 + 1 = 15 bytes, newline + footer = 1 + 22 = 23 bytes: 38 added
    const fits = 'a'.repeat(90 - 38);
    const over = 'a'.repeat(90 - 38 + 1);
    const small = reviewRequest(request({ contentType: 'AD', content: fits }), context());
    const large = reviewRequest(request({ contentType: 'AD', content: over }), context());
    expect(small.recipients[0]).toMatchObject({ channel: 'SMS', contentBytes: 90, reason: 'FITS_SMS' });
    expect(large.recipients[0]).toMatchObject({
      channel: 'LMS',
      contentBytes: 91,
      reason: 'CONTENT_OVER_SMS_LIMIT',
    });
  });

  it('an explicitly requested SMS that no longer fits after labelling is an error, not a silent LMS', () => {
    const over = 'a'.repeat(90 - 38 + 1);
    expect(
      reviewRequest(request({ contentType: 'AD', type: 'SMS', content: 'a'.repeat(52) }), context()).ok,
    ).toBe(true);
    const result = reviewRequest(request({ contentType: 'AD', type: 'SMS', content: over }), context());
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatchObject({ code: 'CONTENT_TOO_LONG', field: 'content' });
    expect(result.errors[0]!.message).toContain('after adding the ad');
  });

  it('under the CONSOLE_80 profile the same text is LMS sooner', () => {
    const text = 'a'.repeat(80 - 38 + 1);
    const result = reviewRequest(
      request({ contentType: 'AD', content: text }),
      context({ profile: PROFILES.CONSOLE_80 }),
    );
    expect(result.recipients[0]).toMatchObject({ channel: 'LMS', contentBytes: 81 });
  });

  it('strict mode refuses a text without the label', () => {
    const result = reviewRequest(request({ contentType: 'AD' }), context({ policy: { adLabel: 'strict' } }));
    expect(result.errors).toEqual([expect.objectContaining({ code: 'AD_LABEL_MISSING', field: 'content' })]);
  });

  it('strict mode passes a complying text unchanged', () => {
    const content = `(광고)문자상사 봄 세일\n${footer}`;
    const result = reviewRequest(
      request({ contentType: 'AD', content }),
      context({ policy: { adLabel: 'strict' } }),
    );
    expect(result.recipients[0]).toMatchObject({ outcome: 'PLANNED', content, labels: [] });
  });

  it('the sender name comes from the policy when set, else the 080 company name', () => {
    const result = reviewRequest(
      request({ contentType: 'AD' }),
      context({ policy: { adSenderName: '문자몰' } }),
    );
    expect((result.recipients[0] as PlannedDomesticMessage).content.startsWith('(광고)문자몰\n')).toBe(true);
  });

  it('a per-recipient content that fails is refused for that recipient only, with its field', () => {
    const result = reviewRequest(
      request({
        contentType: 'AD',
        type: 'SMS',
        messages: [
          { to: '010-1111-2222' },
          { to: '010-3333-4444', content: 'b'.repeat(80) },
          { to: '010-5555-6666', content: 'b'.repeat(80) },
        ],
      }),
      context(),
    );
    expect(result.summary).toEqual({ total: 3, planned: 1, rejected: 2, blocked: 0 });
    expect(result.recipients[1]).toMatchObject({ code: 'CONTENT_TOO_LONG', field: 'messages[1].content' });
    expect(result.recipients[2]).toMatchObject({ code: 'CONTENT_TOO_LONG', field: 'messages[2].content' });
  });

  it('per-recipient subject makes an LMS', () => {
    const result = reviewRequest(
      request({ messages: [{ to: '010-1111-2222', subject: '공지' }, { to: '010-3333-4444' }] }),
      context(),
    );
    expect(result.recipients[0]).toMatchObject({ channel: 'LMS', subject: '공지', subjectBytes: 4 });
    expect(result.recipients[1]).toMatchObject({ channel: 'SMS', subject: null });
  });
});

describe('reviewRequest: AD in the night window, judged at the send time', () => {
  const at = (iso: string) => new Date(iso);
  it('an immediate AD at 21:00 Seoul is refused under reject', () => {
    const result = reviewRequest(
      request({ contentType: 'AD' }),
      context({ now: at('2026-03-10T12:00:00Z') }),
    );
    // no reserveTime was sent: the field to change is the AD type
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'AD_NIGHT_WINDOW', field: 'contentType' }),
    ]);
  });

  it('an immediate AD at 20:59 Seoul goes', () => {
    const result = reviewRequest(
      request({ contentType: 'AD' }),
      context({ now: at('2026-03-10T11:59:00Z') }),
    );
    expect(result.ok).toBe(true);
  });

  it('under defer it moves to the next 08:00 Seoul', () => {
    const result = reviewRequest(
      request({ contentType: 'AD' }),
      context({ now: at('2026-03-10T12:00:00Z'), policy: { nightWindow: 'defer' } }),
    );
    expect(result).toMatchObject({
      ok: true,
      requestedSendAt: '2026-03-10T12:00:00.000Z',
      sendAt: '2026-03-10T23:00:00.000Z',
      deferred: true,
    });
    expect(result.recipients[0]).toMatchObject({ sendAt: '2026-03-10T23:00:00.000Z' });
  });

  it('a reservation by day is fine even when requested at night', () => {
    const result = reviewRequest(
      request({ contentType: 'AD', reserveTime: '2026-03-11 09:00' }),
      context({ now: at('2026-03-10T14:00:00Z') }), // 23:00 Seoul
    );
    expect(result).toMatchObject({ ok: true, sendAt: '2026-03-11T00:00:00.000Z', deferred: false });
  });

  it('a reservation at night is refused even when requested by day', () => {
    const result = reviewRequest(request({ contentType: 'AD', reserveTime: '2026-03-11 22:00' }), context());
    expect(result.errors).toEqual([
      expect.objectContaining({ code: 'AD_NIGHT_WINDOW', field: 'reserveTime' }),
    ]);
  });

  it.each([
    ['2026-03-11 07:59', 'Asia/Seoul', false],
    ['2026-03-11 08:00', 'Asia/Seoul', true],
    ['2026-03-10T22:59:00Z', undefined, false],
    ['2026-03-10T23:00:00Z', undefined, true],
    ['2026-03-10 18:59', 'America/New_York', false], // EDT from 2026-03-08: 18:59 EDT = 07:59 Seoul
    ['2026-03-10 19:00', 'America/New_York', true],
    ['2026-03-10T19:00:00-04:00', 'Asia/Seoul', true], // the offset wins over the zone
    ['2026-03-10 20:59', 'Asia/Seoul', true],
    ['2026-03-10 21:00', 'Asia/Seoul', false],
  ])('reservation %s in %s → allowed %s', (reserveTime, reserveTimeZone, allowed) => {
    const result = reviewRequest(request({ contentType: 'AD', reserveTime, reserveTimeZone }), context());
    expect(result.ok).toBe(allowed);
  });
});

describe('reviewRequest: international', () => {
  it('China without a signature: 【Verify】 inserted, random sender, UCS-2 parts', () => {
    const result = reviewRequest(
      request({ countryCode: '86', content: 'Your code is 1234', messages: [{ to: '138 0013 8000' }] }),
      context(),
    );
    expect(result.recipients[0]).toEqual({
      outcome: 'PLANNED',
      index: 0,
      to: '138 0013 8000',
      number: '13800138000',
      e164: '+8613800138000',
      countryCode: '86',
      contentType: 'COMM',
      channel: 'INTL',
      sender: { kind: 'RANDOM', number: null },
      content: '【Verify】Your code is 1234',
      encoding: 'UCS2',
      parts: ['【Verify】Your code is 1234'],
      units: 25,
      signatureInserted: true,
      sendAt: NOON_SEOUL.toISOString(),
    });
  });

  it('China with the signature already there: not added twice', () => {
    const result = reviewRequest(
      request({
        countryCode: '86',
        content: '【Verify】Your code is 1234',
        messages: [{ to: '13800138000' }],
      }),
      context(),
    );
    expect(result.recipients[0]).toMatchObject({
      content: '【Verify】Your code is 1234',
      signatureInserted: false,
    });
  });

  describe("on a route whose plugin has the sender sign (OMNI's table for 86)", () => {
    const senderSigns: SenderPolicyTable = {
      countries: {
        '86': { countryCode: '86', country: 'CN', sender: 'AS_ENTERED', signature: { by: 'SENDER' } },
      },
      fallback: { sender: 'AS_ENTERED' },
    };

    it("plans the sender's own signature first, exactly as written, never 【Verify】 in front", () => {
      const content = '【BB商店】您的验证码是 1234';
      const result = reviewRequest(
        request({ countryCode: '86', content, messages: [{ to: '13800138000' }] }),
        { ...context(), senderPolicies: senderSigns },
      );
      expect(result.recipients[0]).toMatchObject({
        outcome: 'PLANNED',
        content,
        parts: [content],
        signatureInserted: false,
        sender: { kind: 'AS_ENTERED', number: '0212345678' },
      });
    });

    it('refuses a text without a signature: the request for its own text, a recipient for an override', () => {
      const ctx = { ...context(), senderPolicies: senderSigns };
      const bare = reviewRequest(
        request({ countryCode: '86', content: '验证码 1234', messages: [{ to: '13800138000' }] }),
        ctx,
      );
      expect(bare.ok).toBe(false);
      expect(bare.errors).toEqual([
        expect.objectContaining({ code: 'SIGNATURE_REQUIRED', field: 'content' }),
      ]);
      const override = reviewRequest(
        request({
          countryCode: '86',
          content: '【BB商店】验证码 1234',
          messages: [{ to: '13800138000' }, { to: '13800138001', content: '验证码 5678' }],
        }),
        ctx,
      );
      expect(override.recipients.map((r) => r.outcome)).toEqual(['PLANNED', 'REJECTED']);
      expect(override.recipients[1]).toMatchObject({
        code: 'SIGNATURE_REQUIRED',
        field: 'messages[1].content',
      });
    });
  });

  it('Singapore: the calling number as entered, GSM-7', () => {
    const result = reviewRequest(
      request({ countryCode: '65', content: 'Hi', messages: [{ to: '8123 4567' }] }),
      context(),
    );
    const r = result.recipients[0] as PlannedInternationalMessage;
    expect(r.sender).toEqual({ kind: 'AS_ENTERED', number: '0212345678' });
    expect(r.encoding).toBe('GSM7');
    expect(r.e164).toBe('+6581234567');
  });

  it('a text over five parts is refused (rules TOO_MANY_PARTS)', () => {
    const result = reviewRequest(request({ countryCode: '1', content: 'a'.repeat(766) }), context());
    expect(result.errors).toEqual([expect.objectContaining({ code: 'TOO_MANY_PARTS', field: 'content' })]);
  });
});

describe('the README example', () => {
  it('gives the answer the README shows', () => {
    const result = reviewRequest(
      {
        contentType: 'AD',
        from: '02-1234-5678',
        content: '봄 세일 20%',
        reserveTime: '2026-03-11 10:00',
        reserveTimeZone: 'Asia/Seoul',
        messages: [{ to: '010-1111-2222' }, { to: '010-3333-4444', content: '단골 고객님께 30%' }],
      },
      context({
        blockList: new Set(['01033334444']),
        policy: { nightWindow: 'defer', adLabel: 'insert', adSenderName: '문자몰' },
      }),
    );
    expect(result).toEqual({
      ok: true,
      errors: [],
      contentType: 'AD',
      countryCode: '82',
      from: '0212345678',
      policy: { nightWindow: 'defer', adLabel: 'insert', adSenderName: '문자몰' },
      requestedSendAt: '2026-03-11T01:00:00.000Z',
      sendAt: '2026-03-11T01:00:00.000Z',
      deferred: false,
      recipients: [
        {
          outcome: 'PLANNED',
          index: 0,
          to: '010-1111-2222',
          number: '01011112222',
          e164: '+821011112222',
          countryCode: '82',
          contentType: 'AD',
          channel: 'SMS',
          reason: 'FITS_SMS',
          from: '0212345678',
          subject: null,
          content: '(광고)문자몰\n봄 세일 20%\n무료거부 080-1234-5678',
          contentBytes: 47,
          subjectBytes: 0,
          labels: ['label', 'senderName', 'optOutNotice'],
          sendAt: '2026-03-11T01:00:00.000Z',
        },
        {
          outcome: 'REJECTED',
          index: 1,
          to: '010-3333-4444',
          code: 'BLOCKED',
          field: 'messages[1].to',
          message: "01033334444 is on the project's 080 opt-out list",
        },
      ],
      summary: { total: 2, planned: 1, rejected: 1, blocked: 1 },
    });
  });
});

describe('blockListCandidates', () => {
  const messages = [
    { to: '010-1111-2222' },
    { to: '+82 10 1111 2222' },
    { to: '010 3333 4444' },
    { to: 'bad' },
  ];

  it('lists the distinct normalized domestic recipients of an AD request', () => {
    expect(blockListCandidates(request({ contentType: 'AD', messages }))).toEqual([
      '01011112222',
      '01033334444',
    ]);
  });

  it('is empty for COMM, international or a malformed request (nothing is looked up)', () => {
    expect(blockListCandidates(request({ messages }))).toEqual([]);
    expect(blockListCandidates(request({ contentType: 'AD', countryCode: '1', messages }))).toEqual([]);
    expect(blockListCandidates(request({ contentType: 'NOPE' as never, messages }))).toEqual([]);
    expect(blockListCandidates(request({ contentType: 'AD', messages: undefined as never }))).toEqual([]);
  });

  it('every number the review blocks is among the candidates', () => {
    const req = request({ contentType: 'AD', messages });
    const candidates = new Set(blockListCandidates(req));
    const result = reviewRequest(
      req,
      context({ blockList: new Set(['01011112222', '01033334444', '01099998888']) }),
    );
    const blocked = result.recipients.filter((r) => r.outcome === 'REJECTED' && r.code === 'BLOCKED');
    expect(blocked).toHaveLength(3);
    for (const r of blocked)
      expect(candidates.has(messages[r.index]!.to.replace(/\D/g, '').replace(/^82/, '0'))).toBe(true);
  });
});
