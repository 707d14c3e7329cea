import { describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { SendWriter, type StoredSend } from './send-writer';
import type { AcceptedMessage } from './send-plan';

/** The elements of a uuid array literal (`{a,b}`), as the send writer passes its id columns. */
const fromLiteral = (value: unknown): string[] => String(value).slice(1, -1).split(',');

/**
 * A database with no webhook endpoint that answers each statement after a tick (one round trip per batch), storing every send it is given (the first parameter
 * holds the request ids) except the refused ones, and failing any statement that holds a poisoned send.
 */
function fakeDatabase(
  options: {
    refused?: Set<string>;
    poisoned?: Set<string>;
    /** projects with a subscribed webhook endpoint: the statement names them and stores none of their sends */
    subscribed?: Set<string>;
  } = {},
) {
  const statements: string[][] = [];
  const db = {
    query: async (text: string, params: unknown[]) => {
      // a uuid column travels as its array literal, and a column of one value in every row as one scalar
      // (bulk-insert.ts)
      const ids = fromLiteral(params[0]);
      const projects = String(params[1]).startsWith('{')
        ? fromLiteral(params[1])
        : ids.map(() => params[1] as string);
      statements.push(ids);
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (ids.some((id) => options.poisoned?.has(id))) throw new Error('violates a constraint');
      // the statement looks up subscribed webhook endpoints itself
      expect(text).toContain('FROM webhook_endpoints');
      const hooked = new Set(projects.filter((p) => options.subscribed?.has(p)));
      return [
        ...ids
          .filter((id, i) => !options.refused?.has(id) && !hooked.has(projects[i]!))
          .map((id) => ({ id, subscribed: null })),
        ...[...hooked].map((project) => ({ id: null, subscribed: project })),
      ];
    },
    // the transaction of the subscribed projects' sends and their events: fails here
    transaction: async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      throw new Error('the events could not be written');
    },
  };
  return { db: db as unknown as DataSource, statements };
}

function message(requestId: string, recipientIndex: number): AcceptedMessage {
  const now = new Date();
  return {
    projectId: 'project',
    requestId,
    requestTime: now,
    recipientIndex,
    toNumber: '01011112222',
    countryCode: '82',
    fromNumber: '0212345678',
    type: 'SMS',
    contentType: 'COMM',
    subject: null,
    content: 'hi',
    bytes: 2,
    parts: null,
    encoding: null,
    fileIds: [],
    status: 'READY',
    state: 'QUEUED',
    dueAt: now,
    reservationId: null,
    route: ['sens'],
    statusName: null,
    statusCode: null,
    statusMessage: null,
    completeTime: null,
    updatedAt: now,
  };
}

function send(
  id: string,
  options: { recipients?: number; reserved?: boolean; project?: string } = {},
): StoredSend {
  const request = [
    id,
    options.project ?? 'project',
    new Date(),
    'COMM',
    null,
    '82',
    '0212345678',
    null,
    'hi',
    [],
    null,
    null,
  ];
  return {
    requestId: id,
    request: [...request, null, null, null, '{}', 1, 0, 'api'],
    reservation: options.reserved
      ? ['reservation', 'project', id, new Date(), 'READY', new Date(), new Date()]
      : null,
    messages: Array.from({ length: options.recipients ?? 1 }, (_, i) => message(id, i)),
    apiKeyId: 'key',
  };
}

describe('SendWriter', () => {
  it('writes a lone send at once, in one statement', async () => {
    const { db, statements } = fakeDatabase();
    let woken = 0;
    const writer = new SendWriter(db, () => (woken += 1));
    await expect(writer.write(send('a'))).resolves.toBe(true);
    expect(statements).toEqual([['a']]);
    expect(woken).toBe(1);
  });

  it('gathers the sends that arrive while a statement is in flight into the next one', async () => {
    const { db, statements } = fakeDatabase();
    const writer = new SendWriter(db, () => undefined);
    const ids = Array.from({ length: 5 }, (_, i) => `s${i}`);
    const results = await Promise.all(ids.map((id) => writer.write(send(id))));
    expect(results.every(Boolean)).toBe(true);
    // the first goes at once; the 4 that queued behind it are too few for a statement of their own beside it
    expect(statements).toEqual([['s0'], ['s1', 's2', 's3', 's4']]);
  });

  it('starts a second statement beside the one in flight once 32 sends have queued', async () => {
    const { db, statements } = fakeDatabase();
    const writer = new SendWriter(db, () => undefined);
    const ids = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const results = await Promise.all(ids.map((id) => writer.write(send(id))));
    expect(results.every(Boolean)).toBe(true);
    // one at once, 32 beside it as soon as they queued, the 67 that queued behind both together
    expect(statements.map((s) => s.length)).toEqual([1, 32, 67]);
    expect(statements.flat().sort()).toEqual([...ids].sort());
  });

  it('keeps a statement within 200 sends and 5,000 message rows (a lone large send still goes)', async () => {
    const { db, statements } = fakeDatabase();
    const writer = new SendWriter(db, () => undefined);
    const large = Array.from({ length: 12 }, (_, i) => writer.write(send(`l${i}`, { recipients: 1000 })));
    const small = Array.from({ length: 450 }, (_, i) => writer.write(send(`m${i}`)));
    await Promise.all([...large, ...small]);
    expect(statements.map((s) => s.length)).toEqual([1, 1, 5, 5, 200, 200, 50]);
  });

  it('answers false for a send the statement refused, true for the others of the same statement', async () => {
    const { db } = fakeDatabase({ refused: new Set(['no']) });
    const writer = new SendWriter(db, () => undefined);
    const results = await Promise.all(['x', 'y', 'no', 'z'].map((id) => writer.write(send(id))));
    expect(results).toEqual([true, true, false, true]);
  });

  it('writes each send of a failed statement alone: only the bad one fails', async () => {
    const { db, statements } = fakeDatabase({ poisoned: new Set(['bad']) });
    const writer = new SendWriter(db, () => undefined);
    const outcomes = await Promise.allSettled(
      ['a', 'b', 'c', 'bad', 'd'].map((id) => writer.write(send(id))),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(statements).toEqual([['a'], ['b', 'c', 'bad', 'd'], ['b'], ['c'], ['bad'], ['d']]);
  });

  it("answers true for the sends a statement stored when the subscribed projects' transaction then fails", async () => {
    const { db, statements } = fakeDatabase({ subscribed: new Set(['hooked']) });
    let woken = 0;
    const writer = new SendWriter(db, () => (woken += 1));
    const outcomes = await Promise.allSettled([
      writer.write(send('a')),
      writer.write(send('b', { project: 'hooked' })),
      writer.write(send('c')),
    ]);
    // c was committed by the statement it shared with b: stored, never written again (its id would clash)
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : 'rejected'))).toEqual([
      true,
      'rejected',
      true,
    ]);
    expect((outcomes[1] as PromiseRejectedResult).reason).toEqual(
      new Error('the events could not be written'),
    );
    expect(statements).toEqual([['a'], ['b', 'c'], ['b']]);
    expect(woken).toBe(2);
  });

  it('wakes the dispatcher only for statements that stored a send going now', async () => {
    const { db } = fakeDatabase({ refused: new Set(['refused']) });
    let woken = 0;
    const writer = new SendWriter(db, () => (woken += 1));
    await writer.write(send('later', { reserved: true }));
    await writer.write(send('refused'));
    expect(woken).toBe(0);
    await writer.write(send('now'));
    expect(woken).toBe(1);
  });
});
