import { SENS_DEFAULTS, type RunningSimulator } from '@munja/simulator';
import { DataSource } from 'typeorm';
import type { TestApp } from './test-app';
import type { SendingProject } from './messages-fixtures';

import { waitFor } from './webhooks-receiver';

export { waitFor };

export interface MessageView {
  messageId: string;
  to: string;
  status: string;
  state: string;
  statusName: string | null;
  statusCode: string | null;
  statusMessage: string | null;
  telcoCode: string | null;
  completeTime: string | null;
  [key: string]: unknown;
}

/** The messages of a request, through the results API. */
export async function messagesOf(
  t: TestApp,
  project: SendingProject,
  requestId: string,
): Promise<MessageView[]> {
  const response = await t.http.get(`/v1/requests/${requestId}`).set(project.auth).query({ size: 100 });
  if (response.status !== 200)
    throw new Error(`GET /v1/requests/${requestId}: ${response.status} ${response.text}`);
  return response.body.messages as MessageView[];
}

/** Waits until every message of the request is COMPLETED; answers them. */
export function completed(t: TestApp, project: SendingProject, requestId: string, timeoutMs = 45_000) {
  return waitFor(async () => {
    const messages = await messagesOf(t, project, requestId);
    return messages.length > 0 && messages.every((m) => m.status === 'COMPLETED') ? messages : undefined;
  }, timeoutMs);
}

/** Raw SQL against the app's database (tests look at columns the API does not show). */
export async function query<T = Record<string, unknown>>(
  t: TestApp,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await t.app.get(DataSource).query(text, params)) as T[];
}

/**
 * The partitions of `messages` without the guard that refuses inserts naming them (migration 1766000000031), by
 * name: none, wherever they came from (the migrations, the retention job).
 */
export async function unguardedMessagePartitions(t: TestApp): Promise<string[]> {
  const rows = await query<{ name: string }>(
    t,
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'messages'::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'messages_through_parent')`,
  );
  return rows.map((row) => row.name);
}

/** Test settings: fast polling, short sweeps, no backoff wait unless a test wants one. */
export const FAST_DISPATCH = {
  MUNJA_REPORT_POLL_MS: '100',
  MUNJA_DISPATCH_SWEEP_MS: '100',
  MUNJA_DISPATCH_BACKOFF_MS: '0',
};

/** A MUNJA_PLUGINS entry for SENS with the simulator's credentials, at `baseUrl`. */
export function sensPlugin(baseUrl: string) {
  return {
    package: '@munja/provider-sens',
    config: {
      serviceId: SENS_DEFAULTS.serviceId,
      accessKey: SENS_DEFAULTS.accessKey,
      secretKey: SENS_DEFAULTS.secretKey,
      baseUrl,
    },
  };
}

/** MUNJA_PLUGINS for SENS and OMNI pointed at a simulator running in the test process. */
export function simulatorPlugins(sim: RunningSimulator): string {
  return JSON.stringify([
    sensPlugin(sim.url),
    {
      package: '@munja/provider-omni',
      config: { clientId: 'munja-omni', password: 'munja-omni-secret', baseUrl: sim.url },
    },
  ]);
}

/** How many messages of the requests no vendor took yet (0: every one reached the vendor). */
export async function unsentCount(t: TestApp, requestIds: readonly string[]): Promise<number> {
  const [row] = await query<{ open: number }>(
    t,
    // a message the vendor took has its vendor id on the row once final; before, its queue row is gone while its
    // row stays in the queue's states
    `SELECT count(*)::int AS open FROM messages m
      WHERE m.request_id = ANY($1::uuid[]) AND m.vendor_message_id IS NULL
        AND (m.state NOT IN ('QUEUED', 'SENDING') OR EXISTS (SELECT 1 FROM message_queue q WHERE q.message_id = m.id))`,
    [requestIds],
  );
  return row?.open ?? -1;
}
