import { describe, expect, it } from '@jest/globals';
import type { OutboundMessage } from '@munja/provider-kit';
import fc from 'fast-check';
import { groupIntoCalls, type VendorCall } from './grouping';

let serial = 0;
function msg(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  serial += 1;
  return {
    ref: `r${serial}`,
    channel: 'SMS',
    contentType: 'COMM',
    from: '0215880000',
    to: `010${String(serial).padStart(8, '0')}`,
    countryCode: '82',
    content: '안녕하세요',
    ...overrides,
  };
}

/** What one recipient of a call actually gets: its override, else the call's default. */
function delivered(call: VendorCall, i: number): { to: string; subject?: string; content: string } {
  const entry = call.body.messages[i]!;
  const subject = entry.subject ?? call.body.subject;
  return {
    to: entry.to,
    ...(subject !== undefined ? { subject } : {}),
    content: entry.content ?? call.body.content,
  };
}

describe('groupIntoCalls', () => {
  it.each([
    [1, [1]],
    [99, [99]],
    [100, [100]],
    [101, [100, 1]],
    [250, [100, 100, 50]],
  ])('%i same-text recipients → calls of %j', (n, sizes) => {
    const calls = groupIntoCalls(
      Array.from({ length: n }, () => msg()),
      100,
    );
    expect(calls.map((c) => c.body.messages.length)).toEqual(sizes);
    expect(
      calls.every((c) => c.body.messages.every((m) => m.content === undefined && m.subject === undefined)),
    ).toBe(true);
  });

  it('differing text shares a call through messages[] overrides; the most common text is the default', () => {
    const messages = [
      msg({ content: 'A' }),
      msg({ content: 'B' }),
      msg({ content: 'B' }),
      msg({ content: 'C' }),
    ];
    const [call, ...rest] = groupIntoCalls(messages, 100);
    expect(rest).toEqual([]);
    expect(call!.body.content).toBe('B');
    expect(
      call!.body.messages
        .filter((m) => m.content !== undefined)
        .map((m) => m.content)
        .sort(),
    ).toEqual(['A', 'C']);
  });

  it('splits by the fields SENS cannot override per recipient: type, contentType, country, from, files', () => {
    const messages = [
      msg(),
      msg({ channel: 'LMS', subject: 's' }),
      msg({ contentType: 'AD' }),
      msg({ countryCode: '1' }),
      msg({ from: '0312345678' }),
      msg({ channel: 'MMS', subject: 's', fileIds: ['f1'] }),
      msg({ channel: 'MMS', subject: 's', fileIds: ['f2'] }),
    ];
    expect(groupIntoCalls(messages, 100)).toHaveLength(7);
  });

  it('LMS subjects: per-recipient override; a message without a subject never inherits one', () => {
    const messages = [
      msg({ channel: 'LMS', subject: '공지' }),
      msg({ channel: 'LMS', subject: '공지' }),
      msg({ channel: 'LMS', subject: '개별' }),
      msg({ channel: 'LMS' }),
    ];
    const calls = groupIntoCalls(messages, 100);
    expect(calls).toHaveLength(2);
    const withSubject = calls.find((c) => c.body.subject !== undefined)!;
    expect(withSubject.body.subject).toBe('공지');
    expect(calls.find((c) => c.body.subject === undefined)!.body.messages).toEqual([{ to: messages[3]!.to }]);
  });

  it('an SMS never carries a subject', () => {
    const [call] = groupIntoCalls([msg({ subject: 'ignored' })], 100);
    expect(call!.body.subject).toBeUndefined();
    expect(call!.body.messages[0]!.subject).toBeUndefined();
  });

  it('MMS carries files as [{ fileId }]', () => {
    const [call] = groupIntoCalls([msg({ channel: 'MMS', subject: 's', fileIds: ['a', 'b'] })], 100);
    expect(call!.body).toMatchObject({ type: 'MMS', files: [{ fileId: 'a' }, { fileId: 'b' }] });
  });

  it('never puts one recipient twice in a call, in the fewest calls (cap 2: A A B B C C → 3)', () => {
    const messages = ['A', 'A', 'B', 'B', 'C', 'C'].map((to) => msg({ to }));
    const calls = groupIntoCalls(messages, 2);
    expect(calls).toHaveLength(3);
    for (const c of calls)
      expect(new Set(c.body.messages.map((m) => m.to)).size).toBe(c.body.messages.length);
  });

  it('property: every message in exactly one call with its own text, ≤ max per call, distinct recipients, fewest calls', () => {
    const arbMessage = fc.record({
      channel: fc.constantFrom('SMS', 'LMS') as fc.Arbitrary<'SMS' | 'LMS'>,
      from: fc.constantFrom('0215880000', '0312345678'),
      to: fc.constantFrom(
        '01000000001',
        '01000000002',
        '01000000003',
        '01000000004',
        '01000000005',
        '01000000006',
      ),
      content: fc.constantFrom('가', '나', '다'),
      subject: fc.option(fc.constantFrom('제목1', '제목2'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(arbMessage, { maxLength: 60 }), fc.integer({ min: 1, max: 7 }), (specs, max) => {
        const messages = specs.map((s, i) => ({ ...msg(s), ref: `p${i}` }));
        const calls = groupIntoCalls(messages, max);
        const seen = new Map<string, number>();
        for (const call of calls) {
          expect(call.body.messages.length).toBeLessThanOrEqual(max);
          expect(call.body.messages.length).toBe(call.messages.length);
          expect(new Set(call.body.messages.map((m) => m.to)).size).toBe(call.body.messages.length);
          call.messages.forEach((m, i) => {
            seen.set(m.ref, (seen.get(m.ref) ?? 0) + 1);
            const got = delivered(call, i);
            expect(got.to).toBe(m.to);
            expect(got.content).toBe(m.content);
            expect(got.subject).toBe(m.channel === 'SMS' ? undefined : m.subject);
            expect([call.body.type, call.body.from]).toEqual([m.channel, m.from]);
          });
        }
        expect(seen.size).toBe(messages.length);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        // the lower bound per shared-field group: ⌈n / max⌉, and no fewer calls than copies of one recipient
        const groups = new Map<string, OutboundMessage[]>();
        for (const m of messages) {
          const key = `${m.channel}|${m.from}|${m.channel !== 'SMS' && m.subject !== undefined}`;
          groups.set(key, [...(groups.get(key) ?? []), m]);
        }
        let bound = 0;
        for (const g of groups.values()) {
          const copies = new Map<string, number>();
          for (const m of g) copies.set(m.to, (copies.get(m.to) ?? 0) + 1);
          bound += Math.max(Math.ceil(g.length / max), ...copies.values());
        }
        expect(calls).toHaveLength(bound);
      }),
      { numRuns: 300 },
    );
  });
});
