import type { EntityManager } from 'typeorm';
import type { MessageKey } from '../dispatch/message-key';
import { sql } from '../dispatch/sql';
import { attemptPlugin, stateList, toStateOf, type MessageState } from './message-states';
import { recordMessageTransitions, transitionColumns, type MessageTransitionRow } from './transition-events';

/** States a report may still close: not final yet. A final state never moves (no backwards step). */
const CLOSABLE: readonly MessageState[] = ['SENT', 'SENDING', 'QUEUED'];

/**
 * When the message `m` was handed to its vendor: recorded on the row (a row of an earlier build that says SENT), or
 * in its awaiting row (the vendor's acceptance writes only that): as the poller read it (`v.sent_at`), else by the
 * report's vendor id, one primary-key probe (COALESCE evaluates it only when needed; the statement evaluates the
 * expression once a row, for both columns that take it). NULL for a message closed by a report before its
 * acceptance was recorded.
 */
const SENT_AT = `COALESCE(m.sent_at, v.sent_at, (SELECT a.sent_at FROM awaiting_reports a
                  WHERE a.plugin_id = ${attemptPlugin('m')}
                    AND a.vendor_message_id = COALESCE(v.vendor_message_id, m.vendor_message_id)))`;

/** One message's decisive (final) report. */
export interface ReportClosing {
  readonly message: MessageKey;
  readonly state: 'DELIVERED' | 'FAILED' | 'EXPIRED';
  readonly code: string | null;
  readonly text: string | null;
  readonly telco: string | null;
  readonly completedAt: Date | null;
  readonly vendorMessageId: string;
  /** its awaiting row's sent_at (exact text) when the caller read it, else null (looked up) */
  readonly sentAt: string | null;
}

/** closeByReports' statement; its values are `closingValues`. */
export const CLOSE_BY_REPORTS = `WITH closed AS (
   UPDATE messages m SET
      ${toStateOf('v.state')},
      status_name = CASE WHEN v.state = 'DELIVERED' THEN 'success' ELSE 'fail' END,
      status_code = v.code,
      status_message = v.text,
      telco_code = COALESCE(v.telco, m.telco_code),
      -- OFFSET 0 keeps the planner from pulling the sub-select up, which would copy the expression into both
      (sent_at, complete_time) = (
        SELECT s.at, GREATEST(COALESCE(v.completed_at, $1), m.due_at, s.at)
          FROM (SELECT ${SENT_AT} AS at OFFSET 0) s
      ),
      vendor_message_id = COALESCE(v.vendor_message_id, m.vendor_message_id),
      plugin_id = ${attemptPlugin('m')},
      next_attempt_at = NULL,
      updated_at = $1
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[],
                 $9::timestamptz[], $10::timestamptz[])
          AS v(id, state, code, text, telco, completed_at, vendor_message_id, request_time, sent_at)
    WHERE m.id = v.id AND m.request_time = v.request_time AND m.state IN ${stateList(CLOSABLE)}
   RETURNING ${transitionColumns('m')}, m.vendor_message_id
   ), answered AS (
     DELETE FROM awaiting_reports a USING closed c
      WHERE a.plugin_id = c.plugin_id AND a.vendor_message_id = c.vendor_message_id
   ), dequeued AS (
     DELETE FROM message_queue q USING closed c WHERE q.message_id = c.id
   )
   SELECT * FROM closed`;

/** The values of CLOSE_BY_REPORTS, in its parameters' order. */
export function closingValues(closing: readonly ReportClosing[], now: Date): unknown[] {
  return [
    now,
    closing.map((c) => c.message.id),
    closing.map((c) => c.state),
    closing.map((c) => c.code),
    closing.map((c) => c.text),
    closing.map((c) => c.telco),
    closing.map((c) => c.completedAt),
    closing.map((c) => c.vendorMessageId),
    closing.map((c) => c.message.requestTime),
    closing.map((c) => c.sentAt),
  ];
}

/**
 * One statement closing many messages by their final reports: the message rows take the outcome in place (HOT),
 * with the plugin, the vendor id and the send time (the vendor's acceptance left them in the awaiting row), and
 * their awaiting rows (and a queue row, for a report that came before the send's outcome was recorded)
 * go; their counts and events are written in the caller's transaction. Returns the messages closed, each with the
 * vendor id it now holds (final: never changed again). The WHERE keeps final states final. The completion time is
 * never before the message's send time or its send to the vendor: vendors report whole seconds.
 */
export async function closeByReports(
  manager: EntityManager,
  closing: readonly ReportClosing[],
  now: Date,
): Promise<ReadonlyMap<string, string | null>> {
  if (closing.length === 0) return new Map();
  const { rows } = await sql<MessageTransitionRow & { vendor_message_id: string | null }>(
    manager,
    CLOSE_BY_REPORTS,
    closingValues(closing, now),
  );
  await recordMessageTransitions(manager, rows, 'changed');
  return new Map(rows.map((row) => [row.id, row.vendor_message_id]));
}
