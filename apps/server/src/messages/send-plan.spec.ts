import { describe, expect, it } from '@jest/globals';
import { reviewRequest, type CallingNumber } from '@munja/compliance';
import type { EntityManager } from 'typeorm';
import { insertRows } from './bulk-insert';
import { MESSAGE_COLUMNS, messageRows, rejectedViews, type RowContext } from './send-plan';

const now = new Date('2026-03-02T01:00:00.000Z');
const approved: CallingNumber = {
  number: '0212345678',
  method: 'DOCUMENT',
  status: 'APPROVED',
  requestedAt: now.toISOString(),
  updatedAt: now.toISOString(),
  rejectReason: null,
};
const column = (name: string) => MESSAGE_COLUMNS.findIndex((c) => c.name === name);

function context(
  request: Parameters<typeof reviewRequest>[0],
  reservationId: string | null = null,
): RowContext {
  const review = reviewRequest(request, {
    now,
    callingNumbers: [approved],
    optOutService: null,
    blockList: new Set<string>(),
  });
  return {
    projectId: 'p',
    requestId: 'r',
    requestTime: now,
    review,
    request,
    fileIds: [],
    reservationId,
    routeOf: (type) => (type === 'INTL' ? ['omni'] : ['sens', 'omni']),
  };
}

describe('message rows', () => {
  it('gives one row per recipient, in order, with a value for every column', () => {
    const rows = messageRows(
      context({
        from: '02-1234-5678',
        content: 'hi',
        messages: [{ to: '010-1111-2222' }, { to: 'nope' }, { to: '01033334444', content: 'x'.repeat(91) }],
      }),
    );
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row).toHaveLength(MESSAGE_COLUMNS.length);
    expect(rows.map((r) => r[column('recipient_index')])).toEqual([0, 1, 2]);
    expect(rows.map((r) => r[column('state')])).toEqual(['QUEUED', 'REJECTED', 'QUEUED']);
    expect(rows.map((r) => r[column('status')])).toEqual(['READY', 'COMPLETED', 'READY']);
    expect(rows.map((r) => r[column('type')])).toEqual(['SMS', 'SMS', 'LMS']);
    expect(rows[0]![column('to_number')]).toBe('01011112222');
    expect(rows[0]![column('route')]).toEqual(['sens', 'omni']);
    // A refused recipient is closed now, with its code, and routed nowhere.
    expect(rows[1]).toEqual(expect.arrayContaining(['nope', 'fail', 'INVALID_PHONE_NUMBER']));
    expect(rows[1]![column('route')]).toEqual([]);
    expect(rows[1]![column('complete_time')]).toEqual(now);
  });

  it('holds every planned row of a reservation as RESERVED with its id and time', () => {
    const rows = messageRows(
      context(
        {
          from: '0212345678',
          content: 'hi',
          reserveTime: '2026-03-05T05:30:00.000Z',
          messages: [{ to: '01011112222' }],
        },
        'res-1',
      ),
    );
    expect(rows[0]![column('state')]).toBe('RESERVED');
    expect(rows[0]![column('reservation_id')]).toBe('res-1');
    expect(rows[0]![column('due_at')]).toEqual(new Date('2026-03-05T05:30:00.000Z'));
  });

  it('stores an international message with its national number, parts and encoding', () => {
    const rows = messageRows(
      context({
        from: '0212345678',
        countryCode: '1',
        content: 'a'.repeat(307),
        messages: [{ to: '650-253-0000' }],
      }),
    );
    expect(rows[0]![column('type')]).toBe('INTL');
    expect(rows[0]![column('to_number')]).toBe('6502530000');
    expect(rows[0]![column('parts')]).toBe(3);
    expect(rows[0]![column('encoding')]).toBe('GSM7');
    expect(rows[0]![column('route')]).toEqual(['omni']);
  });

  it('lists refused recipients for the answer', () => {
    const ctx = context({
      from: '0212345678',
      content: 'hi',
      messages: [{ to: '01011112222' }, { to: '1' }],
    });
    expect(rejectedViews(ctx.review)).toEqual([
      {
        index: 1,
        to: '1',
        code: 'INVALID_PHONE_NUMBER',
        field: 'messages[1].to',
        message: expect.any(String),
      },
    ]);
  });
});

describe('multi-row insert', () => {
  it('writes 1,000 message rows in one statement, and larger sets in as few chunks as the parameter cap allows', async () => {
    const statements: { sql: string; parameters: unknown[] }[] = [];
    const manager = {
      query: async (sql: string, parameters: unknown[]) => {
        statements.push({ sql, parameters });
        return [];
      },
    } as unknown as EntityManager;
    const row = MESSAGE_COLUMNS.map((_, i) => i);
    await insertRows(
      manager,
      'messages',
      MESSAGE_COLUMNS,
      Array.from({ length: 1000 }, () => row),
    );
    expect(statements).toHaveLength(1);
    expect(statements[0]!.parameters).toHaveLength(1000 * MESSAGE_COLUMNS.length);
    expect(statements[0]!.sql).toContain('$1::uuid');

    statements.length = 0;
    await insertRows(
      manager,
      'messages',
      MESSAGE_COLUMNS,
      Array.from({ length: 5000 }, () => row),
    );
    const perChunk = Math.floor(30_000 / MESSAGE_COLUMNS.length);
    expect(statements).toHaveLength(Math.ceil(5000 / perChunk));
    expect(statements.every((s) => s.parameters.length <= 30_000)).toBe(true);
  });

  it('writes nothing for no rows', async () => {
    let calls = 0;
    const manager = { query: async () => void calls++ } as unknown as EntityManager;
    await insertRows(manager, 'messages', MESSAGE_COLUMNS, []);
    expect(calls).toBe(0);
  });
});
