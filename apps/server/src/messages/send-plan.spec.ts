import { describe, expect, it } from '@jest/globals';
import { reviewRequest, type CallingNumber } from '@munja/compliance';
import type { EntityManager } from 'typeorm';
import { insertRows, ROWS_PER_STATEMENT } from './bulk-insert';
import {
  type AcceptedMessage,
  MESSAGE_COLUMNS,
  messageRows,
  rejectedViews,
  type RowContext,
} from './send-plan';

/** A row's values in MESSAGE_COLUMNS order, as the accepting statement reads them. */
const messageValues = (message: AcceptedMessage) => MESSAGE_COLUMNS.map((column) => message[column.field]);

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
/** The rows as the statement's columns (named rows become values only where they are written). */
const valuesOf = (ctx: RowContext) => messageRows(ctx).map(messageValues);

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
    const rows = valuesOf(
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
    const rows = valuesOf(
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
    const rows = valuesOf(
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

  it('names each field, and gives every column one value from it', () => {
    const [row] = messageRows(
      context({ from: '0212345678', content: 'hi', messages: [{ to: '010-1111-2222' }] }),
    );
    expect(row).toMatchObject({
      recipientIndex: 0,
      toNumber: '01011112222',
      state: 'QUEUED',
      status: 'READY',
    });
    const values = messageValues(row!);
    for (const [i, c] of MESSAGE_COLUMNS.entries())
      expect([c.name, values[i]]).toEqual([c.name, row![c.field]]);
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
  const capture = () => {
    const statements: { sql: string; parameters: unknown[][] }[] = [];
    const manager = {
      query: async (sql: string, parameters: unknown[][]) => {
        statements.push({ sql, parameters });
        return [];
      },
    } as unknown as EntityManager;
    return { statements, manager };
  };
  // a varying uuid, time or integer column travels as its array literal (bulk-insert.ts), a text column as an array
  const cellsOf = (parameter: unknown): unknown[] =>
    typeof parameter === 'string' ? parameter.slice(1, -1).split(',') : (parameter as unknown[]);
  const row = (i: number) =>
    MESSAGE_COLUMNS.map((c) => (c.name === 'route' ? ['sens', 'omni'] : c.name === 'file_ids' ? [] : i));

  it('writes 1,000 message rows in one statement: an array per varying column, constant ones once', async () => {
    const { statements, manager } = capture();
    await insertRows(
      manager,
      'messages',
      MESSAGE_COLUMNS,
      Array.from({ length: 1000 }, (_, i) => row(i)),
    );
    expect(statements).toHaveLength(1);
    const [statement] = statements;
    expect(statement!.parameters).toHaveLength(MESSAGE_COLUMNS.length);
    for (const name of ['project_id', 'recipient_index', 'to_number'])
      expect(cellsOf(statement!.parameters[column(name)])).toHaveLength(1000);
    expect(cellsOf(statement!.parameters[column('recipient_index')])[999]).toBe('999');
    expect(Array.isArray(statement!.parameters[column('to_number')])).toBe(true);
    // Array cells travel as delimited text and are split back in SQL; the same route in every row goes once.
    const route = `$${column('route') + 1}`;
    expect(statement!.parameters[column('route')]).toBe('sens,omni');
    expect(statement!.sql).toContain(`string_to_array(${route}::text, ',')::text[]`);
    expect(statement!.parameters[column('file_ids')]).toBe('');
    expect(statement!.sql).toContain('u.to_number');
    expect(statement!.sql).not.toContain('u.route');
  });

  it('keeps one array when every column is the same in every row (unnest needs the row count)', async () => {
    const { statements, manager } = capture();
    await insertRows(manager, 'messages', MESSAGE_COLUMNS, [row(7), row(7)]);
    expect(statements[0]!.parameters[0]).toBe('{7,7}');
    expect(statements[0]!.parameters.slice(1).some(Array.isArray)).toBe(false);
  });

  it('cuts larger sets in chunks of ROWS_PER_STATEMENT', async () => {
    const { statements, manager } = capture();
    await insertRows(
      manager,
      'messages',
      MESSAGE_COLUMNS,
      Array.from({ length: ROWS_PER_STATEMENT * 2 + 1 }, (_, i) => row(i)),
    );
    expect(statements.map((s) => cellsOf(s.parameters[0]).length)).toEqual([
      ROWS_PER_STATEMENT,
      ROWS_PER_STATEMENT,
      1,
    ]);
  });

  it('writes nothing for no rows, and refuses array elements it could not split back', async () => {
    const { statements, manager } = capture();
    await insertRows(manager, 'messages', MESSAGE_COLUMNS, []);
    expect(statements).toHaveLength(0);
    const bad = row(0).map((v, i) => (i === column('route') ? ['a,b'] : v));
    await expect(insertRows(manager, 'messages', MESSAGE_COLUMNS, [bad])).rejects.toThrow(TypeError);
  });
});
