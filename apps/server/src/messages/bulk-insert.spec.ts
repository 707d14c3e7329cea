import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { plainArrayLiteral, unnestRows } from './bulk-insert';

// node-postgres' own parameter serialization: the oracle (an internal module, untyped)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { prepareValue } = require('pg/lib/utils') as { prepareValue: (value: unknown) => unknown };

describe('plainArrayLiteral', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await PGlite.create();
  });
  afterAll(async () => {
    await db.close();
  });

  /** Whether PostgreSQL reads our literal as the same array node-postgres' own serialization gives. */
  async function sameArray(cells: readonly unknown[], type: string): Promise<boolean> {
    const literal = plainArrayLiteral(cells, type);
    expect(literal).toBeDefined();
    const { rows } = await db.query<{ same: boolean }>(
      `SELECT $1::${type}[] IS NOT DISTINCT FROM $2::${type}[] AS same`,
      [literal, prepareValue(cells)],
    );
    return rows[0]!.same;
  }

  it('is read by PostgreSQL as the array node-postgres would have sent', async () => {
    const instant = fc.date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2200-01-01T00:00:00Z'),
      noInvalidDate: true,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.uuid(), { nil: null }), { maxLength: 20 }),
        fc.array(fc.option(instant, { nil: null }), { maxLength: 20 }),
        fc.array(fc.option(fc.integer(), { nil: null }), { maxLength: 20 }),
        fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 5 }),
        async (uuids, instants, ints, bigints) => {
          expect(await sameArray(uuids, 'uuid')).toBe(true);
          expect(await sameArray(instants, 'timestamptz')).toBe(true);
          expect(await sameArray(ints, 'int')).toBe(true);
          expect(await sameArray(bigints.map(String), 'bigint')).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps milliseconds and the instant whatever the session time zone', async () => {
    await db.query(`SET TIME ZONE 'Asia/Seoul'`);
    const at = new Date('2026-03-08T07:00:00.456Z');
    const { rows } = await db.query<{ at: Date }>(`SELECT ($1::timestamptz[])[1] AS at`, [
      plainArrayLiteral([at], 'timestamptz'),
    ]);
    expect(rows[0]!.at.toISOString()).toBe('2026-03-08T07:00:00.456Z');
  });

  it('leaves to node-postgres any element it would have to quote, and other types', () => {
    expect(plainArrayLiteral(['a,b'], 'uuid')).toBeUndefined();
    expect(plainArrayLiteral(['{x}'], 'uuid')).toBeUndefined();
    expect(plainArrayLiteral(['"'], 'uuid')).toBeUndefined();
    expect(plainArrayLiteral(['a b'], 'uuid')).toBeUndefined();
    expect(plainArrayLiteral([''], 'uuid')).toBeUndefined();
    expect(plainArrayLiteral(['null'], 'uuid')).toBeUndefined();
    expect(plainArrayLiteral([new Date(Number.NaN)], 'timestamptz')).toBeUndefined();
    expect(plainArrayLiteral([{}], 'int')).toBeUndefined();
    expect(plainArrayLiteral(['plain'], 'text')).toBeUndefined();
    expect(plainArrayLiteral([], 'uuid')).toBe('{}');
    expect(plainArrayLiteral([null, 1], 'int')).toBe('{NULL,1}');
  });

  it('is what unnestRows passes for a varying uuid, time or integer column, not for text', () => {
    const a = '6d77305a-60cc-4ffb-b9e6-28974bc01882';
    const b = '3058323e-35e4-4396-9ad3-5eb24c213df4';
    const rows = unnestRows(
      [
        { name: 'id', type: 'uuid' },
        { name: 'at', type: 'timestamptz' },
        { name: 'n', type: 'int' },
        { name: 'to', type: 'text' },
      ],
      [
        [a, new Date('2026-12-07T10:27:55.328Z'), 1, '010'],
        [b, new Date('2026-12-07T10:27:55.342Z'), 2, '011'],
      ],
      'r',
    );
    expect(rows.values).toEqual([
      `{${a},${b}}`,
      '{2026-12-07T10:27:55.328Z,2026-12-07T10:27:55.342Z}',
      '{1,2}',
      ['010', '011'],
    ]);
  });
});
