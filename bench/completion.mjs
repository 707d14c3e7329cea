// Waits until every message of the given requests is final, by GET /v1/requests/:id/progress (falling back to
// counting rows in the database when the service has no progress endpoint), and meanwhile notes when the
// simulator first and last took a message, from its counters.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpError } from './service-client.mjs';
import { note } from './figure.mjs';
import { pg } from './workspace.mjs';

const STALL_MS = 120_000;

/** final = delivered + failed + canceled (+ rejected at accept time); `done` may be a flag or a count */
function finalOf(progress) {
  if (progress.done === true) return progress.total;
  return (
    (progress.delivered ?? 0) + (progress.failed ?? 0) + (progress.canceled ?? 0) + (progress.rejected ?? 0)
  );
}

/** Neither the progress endpoint nor the database (embedded in the service's process) can be read. */
export class NoProgressSource extends Error {
  constructor() {
    super('GET /v1/requests/:id/progress answered 404 and the embedded database cannot be read from outside');
  }
}

function progressSource(client, key, requestIds, databaseUrl) {
  let viaDatabase;
  return async () => {
    if (!viaDatabase) {
      try {
        let final = 0;
        for (const id of requestIds)
          final += finalOf(await client.call('GET', `/v1/requests/${id}/progress`, key));
        return { final, via: 'progress endpoint' };
      } catch (error) {
        if (!(error instanceof HttpError && error.statusCode === 404)) throw error;
        if (!databaseUrl) throw new NoProgressSource();
        note('GET /v1/requests/:id/progress answered 404: counting COMPLETED rows in the database instead');
        viaDatabase = new pg.Client({ connectionString: databaseUrl });
        await viaDatabase.connect();
      }
    }
    const { rows } = await viaDatabase.query(
      `SELECT count(*)::int AS final FROM messages WHERE request_id = ANY($1::uuid[]) AND status = 'COMPLETED'`,
      [requestIds],
    );
    return { final: rows[0].final, via: 'database', close: () => viaDatabase.end() };
  };
}

export async function waitUntilFinal({
  client,
  key,
  requestIds,
  total,
  simulator,
  databaseUrl,
  everyMs = 200,
}) {
  const read = progressSource(client, key, requestIds, databaseUrl);
  let firstVendorAt;
  let allSentAt;
  let lastChange = performance.now();
  let last = -1;
  for (;;) {
    const [progress, counters] = await Promise.all([read(), simulator.counters()]);
    const now = performance.now();
    const sent = counters.sens.messages + counters.omni.messages;
    if (firstVendorAt === undefined && sent > 0) firstVendorAt = now;
    if (allSentAt === undefined && sent >= total) allSentAt = now;
    if (progress.final >= total) {
      await progress.close?.();
      return { completedAt: now, firstVendorAt, allSentAt: allSentAt ?? now, counters, via: progress.via };
    }
    if (progress.final !== last) {
      last = progress.final;
      lastChange = now;
    } else if (now - lastChange > STALL_MS) {
      await progress.close?.();
      throw new Error(`dispatch stalled at ${last} of ${total} final messages for ${STALL_MS / 1000} s`);
    }
    await sleep(everyMs);
  }
}
