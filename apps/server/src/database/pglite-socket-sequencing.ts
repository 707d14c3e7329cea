import type { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Frontend message types after which another connection's messages may run (the end of a unit of work). */
const SYNC = 0x53; // 'S': ends an extended-protocol sequence (Parse/Bind/Describe/Execute … Sync)
const QUERY = 0x51; // 'Q': a simple query is whole in itself
const TERMINATE = 0x58; // 'X'
const PASSWORD = 0x70; // 'p': part of the start-up exchange, the client then waits for the server

interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  resolve(bytes: number): void;
  reject(error: unknown): void;
  onData(data: Uint8Array): void;
}

interface QueryQueue {
  queue: QueuedMessage[];
  processing: boolean;
  lastHandlerId: number | null;
  db: {
    isInTransaction(): boolean;
    runExclusive<T>(fn: () => Promise<T>): Promise<T>;
    execProtocolRawStream(message: Uint8Array, options: { onRawData(data: Uint8Array): void }): Promise<void>;
  };
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
}

/**
 * pglite-socket 0.2.17 serves every connection from one PGlite session and queues their protocol messages one
 * by one. Outside a transaction it lets another connection's messages run between a client's Parse and its
 * Bind/Execute, and since all connections share the session's unnamed prepared statement and portal, a
 * concurrent query then fails ("unnamed prepared statement does not exist", "bind message supplies 4
 * parameters, but prepared statement requires 1") — probed with a pg.Pool of 8 mixing transactions and
 * parameterized queries. This keeps each connection's extended-protocol sequence together up to its Sync
 * (as the library already does for a whole transaction). No setting of the library does this.
 */
export function keepProtocolSequencesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function') {
    throw new Error(
      'pglite-socket internals changed: re-check keepProtocolSequencesTogether against the new version',
    );
  }
  let midSequence: number | null = null;

  queue.processQueue = async function processQueue(this: QueryQueue): Promise<void> {
    if (this.processing || this.queue.length === 0) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const pinned =
          this.db.isInTransaction() && this.lastHandlerId !== null ? this.lastHandlerId : midSequence;
        let item: QueuedMessage | undefined;
        if (pinned !== null) {
          const index = this.queue.findIndex((q) => q.handlerId === pinned);
          if (index === -1) break; // wait for that connection's next message; enqueue() runs this again
          item = this.queue.splice(index, 1)[0];
        } else {
          item = this.queue.shift();
        }
        if (!item) break;
        const current = item;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(current.message, {
              onRawData: (data) => {
                bytes += data.length;
                current.onData(data);
              },
            }),
          );
        } catch (error) {
          midSequence = null;
          current.reject(error);
          continue;
        }
        this.lastHandlerId = current.handlerId;
        const type = current.message[0];
        // A start-up packet begins with its length (first byte 0); it and the password stand alone too.
        midSequence =
          type === SYNC || type === QUERY || type === TERMINATE || type === PASSWORD || type === 0
            ? null
            : current.handlerId;
        current.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clear = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    // a connection that went away mid-sequence must not hold the others back
    if (midSequence === handlerId) midSequence = null;
    clear(handlerId);
    void queue.processQueue();
  };
}
