import { describe, it, expect } from '@jest/globals';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { countBytes, PROFILES } from '@munja/rules';
import { AD_LABEL } from './ad-label';
import { isInNightWindow } from './night-window';
import { applyOptOutService, completeOptOutService, type OptOutService } from './opt-out-service';
import { reviewRequest, type ReviewRequest } from './review';
import { callingNumber, FROM } from './review.fixtures.test-helpers';

const t0 = new Date('2026-01-01T00:00:00Z');

/** Korean mobile numbers as digits (010-[2-9]xxx-xxxx are all valid) and a spelling of each. */
const digits = fc
  .tuple(fc.integer({ min: 2000, max: 9999 }), fc.integer({ min: 0, max: 9999 }))
  .map(([a, b]) => `010${a}${String(b).padStart(4, '0')}`);
const spelled = (number: string) =>
  fc.constantFrom(
    number,
    `${number.slice(0, 3)}-${number.slice(3, 7)}-${number.slice(7)}`,
    `${number.slice(0, 3)} ${number.slice(3, 7)} ${number.slice(7)}`,
    `+82 ${number.slice(1, 3)} ${number.slice(3, 7)} ${number.slice(7)}`,
  );

const textPiece = fc.oneof(
  fc.constantFrom(
    '(광고)',
    '[광고]',
    '(광 고)',
    '광고',
    '문자상사',
    '봄 세일',
    '무료거부 080-1234-5678',
    '수신거부 080-000-0000',
  ),
  fc.constantFrom('\n', ' ', '할인', '쿠폰', 'SALE', '50%', '!', 'http://x.kr'),
  fc.string({ unit: fc.constantFrom(...'abcXYZ 0123456789가나다라마바사'.split('')), maxLength: 40 }),
);
const text = fc.array(textPiece, { minLength: 1, maxLength: 30 }).map((p) => p.join(''));

const number080 = fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 99_999_999 })).map(
  ([long, n]) =>
    `080${String(n)
      .padStart(8, '0')
      .slice(long ? 0 : 1)}`,
);

const instant = fc.date({
  min: new Date('2026-01-01T00:00:00Z'),
  max: new Date('2027-12-31T00:00:00Z'),
  noInvalidDate: true,
});

const scenario = fc
  .record({
    pool: fc.uniqueArray(digits, { minLength: 1, maxLength: 25 }),
    contentType: fc.constantFrom('COMM' as const, 'AD' as const, 'AD' as const),
    type: fc.constantFrom(undefined, 'SMS' as const, 'LMS' as const),
    content: text,
    overrides: fc.array(fc.option(text, { nil: undefined }), { maxLength: 25 }),
    subject: fc.option(fc.constantFrom('공지', '이벤트'), { nil: undefined }),
    now: instant,
    reserve: fc.option(fc.tuple(instant, fc.constantFrom('Asia/Seoul', 'UTC', 'America/New_York')), {
      nil: undefined,
    }),
    nightWindow: fc.constantFrom('reject' as const, 'defer' as const),
    adLabel: fc.constantFrom('insert' as const, 'insert' as const, 'insert' as const, 'strict' as const),
    number080,
    company: fc.constantFrom('문자상사', 'Munja', '가나다라마바사아자차카타파하가나다라마바'),
    serviceState: fc.constantFrom(
      'COMPLETE',
      'COMPLETE',
      'COMPLETE',
      'COMPLETE',
      'COMPLETE',
      'PROCESSING',
      'NONE',
    ),
  })
  .chain((s) =>
    fc.record({
      s: fc.constant(s),
      spellings: fc.tuple(...s.pool.map(spelled)),
      blocked: fc.subarray(s.pool),
    }),
  );

function serviceFor(state: string, company: string, number: string): OptOutService | null {
  if (state === 'NONE') return null;
  const applied = applyOptOutService({ companyName: company }, t0);
  return state === 'COMPLETE' ? completeOptOutService(applied, number, t0) : applied;
}

describe('reviewRequest properties', () => {
  // The property is only worth something if the generator reaches the interesting cases: counted below.
  const seen = { adPlanned: 0, adBlocked: 0, deferred: 0, nightRejected: 0, commPlannedOnList: 0 };

  it('AD never reaches a blocked number, never plans inside the night window, always carries (광고) and the 080 number; COMM is never blocked', () => {
    fc.assert(
      fc.property(scenario, ({ s, spellings, blocked }) => {
        const blockList = new Set(blocked);
        const request: ReviewRequest = {
          type: s.type,
          contentType: s.contentType,
          from: FROM,
          subject: s.subject,
          content: s.content,
          reserveTime: s.reserve
            ? DateTime.fromJSDate(s.reserve[0], { zone: s.reserve[1] }).toISO({
                includeOffset: s.reserve[1] !== 'Asia/Seoul',
              })!
            : undefined,
          reserveTimeZone: s.reserve?.[1],
          messages: spellings.map((to, i) => ({ to, content: s.overrides[i] })),
        };
        const result = reviewRequest(request, {
          now: s.now,
          callingNumbers: [callingNumber(FROM, 'APPROVED')],
          optOutService: serviceFor(s.serviceState, s.company, s.number080),
          blockList,
          policy: { nightWindow: s.nightWindow, adLabel: s.adLabel },
        });

        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
        expect(result.recipients.length).toBe(result.ok ? s.pool.length : 0);
        expect(result.errors.length > 0).toBe(!result.ok);

        for (const r of result.recipients) {
          if (r.outcome !== 'PLANNED') continue;
          expect(r.channel).not.toBe('INTL');
          if (r.channel === 'INTL') continue;
          expect(r.number).toBe(s.pool[r.index]);
          // The bytes are recounted on the final text, and the type fits them.
          expect(r.contentBytes).toBe(countBytes(r.content));
          if (r.channel === 'SMS') expect(r.contentBytes).toBeLessThanOrEqual(PROFILES.SENS.sms.contentBytes);
          if (s.type === 'SMS') expect(r.channel).toBe('SMS');
          if (r.contentType === 'COMM') {
            // An empty per-recipient content means "the request's", as in SENS.
            expect(r.content).toBe(s.overrides[r.index] || s.content);
            expect(r.labels).toEqual([]);
          }
          if (r.contentType === 'COMM' && blockList.has(r.number)) seen.commPlannedOnList++;
          if (r.contentType === 'AD') {
            seen.adPlanned++;
            expect(blockList.has(r.number)).toBe(false);
            expect(isInNightWindow(new Date(r.sendAt))).toBe(false);
            expect(r.content.startsWith(AD_LABEL)).toBe(true);
            expect(r.content.replace(/[\s-]/g, '')).toContain(s.number080);
          }
        }

        if (s.contentType === 'COMM') {
          expect(result.recipients.some((r) => r.outcome === 'REJECTED' && r.code === 'BLOCKED')).toBe(false);
          expect(result.summary.blocked).toBe(0);
        }

        if (s.contentType === 'AD') {
          // AD needs a COMPLETE service; with one, every listed recipient is BLOCKED and no other is.
          if (s.serviceState !== 'COMPLETE') expect(result.ok).toBe(false);
          for (const r of result.recipients) {
            const isBlocked = r.outcome === 'REJECTED' && r.code === 'BLOCKED';
            if (isBlocked) seen.adBlocked++;
            const listed = blockList.has(s.pool[r.index]!);
            if (isBlocked) expect(listed).toBe(true);
            // A listed number is BLOCKED — unless rules refuse it first (010-597x..599x are not valid numbers).
            if (listed)
              expect(r.outcome === 'REJECTED' && ['BLOCKED', 'INVALID_PHONE_NUMBER'].includes(r.code)).toBe(
                true,
              );
          }
          // At night, reject refuses the request and defer moves it.
          const requested = result.requestedSendAt ?? null;
          if (requested && isInNightWindow(new Date(requested)) && s.nightWindow === 'reject') {
            expect(result.ok).toBe(false);
            expect(result.errors.some((e) => e.code === 'AD_NIGHT_WINDOW')).toBe(true);
            seen.nightRejected++;
          }
          if (result.ok && result.deferred) {
            seen.deferred++;
            expect(result.sendAt).not.toBe(result.requestedSendAt);
          }
        }
        expect(result.summary.planned + result.summary.rejected).toBe(result.summary.total);
      }),
      { numRuns: 600 },
    );
    expect(seen.adPlanned).toBeGreaterThan(100);
    expect(seen.adBlocked).toBeGreaterThan(100);
    expect(seen.deferred).toBeGreaterThan(10);
    expect(seen.nightRejected).toBeGreaterThan(10);
    expect(seen.commPlannedOnList).toBeGreaterThan(100);
  });
});
