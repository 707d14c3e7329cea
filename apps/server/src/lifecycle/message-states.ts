/** What the API shows (the SENS result view). */
export type MessageStatus = 'READY' | 'PROCESSING' | 'COMPLETED';

/** Why a message is where it is (internal; see the send contract for the lifecycle). */
export type MessageState =
  | 'RESERVED'
  | 'QUEUED'
  | 'SENDING'
  | 'SENT'
  | 'DELIVERED'
  | 'FAILED'
  | 'BLOCKED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'CANCELED';

/**
 * The API status each internal state shows: the one mapping. Every statement that changes a message's state
 * writes the status through `toState` or `statusOf`, built from this table, so no statement spells it by hand.
 */
export const STATUS_OF_STATE: Readonly<Record<MessageState, MessageStatus>> = {
  RESERVED: 'READY',
  QUEUED: 'READY',
  SENDING: 'PROCESSING',
  SENT: 'PROCESSING',
  DELIVERED: 'COMPLETED',
  FAILED: 'COMPLETED',
  BLOCKED: 'COMPLETED',
  REJECTED: 'COMPLETED',
  EXPIRED: 'COMPLETED',
  CANCELED: 'COMPLETED',
};

export const MESSAGE_STATES = Object.keys(STATUS_OF_STATE) as MessageState[];

/** The states whose status is `status`. */
export function statesWithStatus(status: MessageStatus): MessageState[] {
  return MESSAGE_STATES.filter((s) => STATUS_OF_STATE[s] === status);
}

/** States a message never leaves. */
export const FINAL_STATES = statesWithStatus('COMPLETED');

/**
 * States a message row keeps from accept (or release) until its final outcome, while the lifecycle's small
 * tables say where it is: QUEUED, and SENDING, which rows claimed by a build from before the claim stopped writing
 * it may still hold. Neither the claim nor the vendor's acceptance writes the row: what the API shows is read from
 * the queue row (see `shownState`): leased → SENDING (PROCESSING), not leased → QUEUED (READY), gone → SENT
 * (PROCESSING: the vendor took it; its vendor id and send time are in `awaiting_reports` until the final outcome
 * writes them to the row). A row of an earlier build may still say SENT itself.
 */
export const IN_QUEUE: readonly MessageState[] = ['QUEUED', 'SENDING'];

/**
 * The plugin a message row is with, as SQL over `messages` aliased `alias`: before its final outcome, the plugin of
 * its route step (the one a claim sends it to, and the one that took it: neither writes `plugin_id`), else the one
 * recorded.
 */
export function attemptPlugin(alias: string): string {
  const a = alias;
  return `(CASE WHEN ${a}.state IN ${stateList(IN_QUEUE)} THEN ${a}.route[${a}.route_index + 1] ELSE ${a}.plugin_id END)`;
}

/** Where a message whose row is in IN_QUEUE stands in the queue: its queue row leased now, not leased, or gone. */
export type QueueStanding = 'leased' | 'waiting' | 'gone';

/** The state the API shows of a row in `state`, given its queue row (relevant only to a row in IN_QUEUE). */
export function shownState(state: MessageState, queue: QueueStanding): MessageState {
  if (!IN_QUEUE.includes(state)) return state;
  return queue === 'gone' ? 'SENT' : queue === 'leased' ? 'SENDING' : 'QUEUED';
}

/**
 * `shownState` as SQL over a row of `messages` aliased `alias` and its queue row aliased `queue` (an outer join on
 * `message_id`; NULL columns when it has none), leased when its `lease_until` is past `now` (an SQL expression).
 * NULL for a NULL row (an outer join's missing side).
 */
export function shownStateSql(alias: string, queue: string, now: string): string {
  const a = alias;
  return `(CASE WHEN ${a}.state IN ${stateList(IN_QUEUE)} THEN (CASE WHEN ${queue}.message_id IS NULL THEN 'SENT' WHEN ${queue}.lease_until > ${now} THEN 'SENDING' ELSE 'QUEUED' END) ELSE ${a}.state END)`;
}

/** `state = 'X', status = 'Y'`: the SET clause of a transition to one state. */
export function toState(state: MessageState): string {
  return `state = '${state}', status = '${STATUS_OF_STATE[state]}'`;
}

/**
 * `state = <expr>, status = CASE <expr> … END`: the SET clause of a transition whose state is chosen per row (a
 * text expression of the statement, e.g. `v.state`).
 */
export function toStateOf(expression: string): string {
  const cases = MESSAGE_STATES.map((s) => `WHEN '${s}' THEN '${STATUS_OF_STATE[s]}'`).join(' ');
  return `state = ${expression}, status = CASE ${expression} ${cases} END`;
}

/** `('A', 'B')`: a SQL list of states, for `state IN …`. */
export function stateList(states: readonly MessageState[]): string {
  return `(${states.map((s) => `'${s}'`).join(', ')})`;
}
