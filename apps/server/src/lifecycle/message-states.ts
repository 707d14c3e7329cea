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
 * States of a message that has a queue row (`message_queue`): QUEUED, and SENDING, which rows claimed by a build
 * from before the claim stopped writing it may still hold. Which of the two the API shows is the queue row's
 * lease: leased → SENDING (PROCESSING), else QUEUED (READY). See `shownState`.
 */
export const IN_QUEUE: readonly MessageState[] = ['QUEUED', 'SENDING'];

/**
 * The plugin a message row is with, as SQL over `messages` aliased `alias`: in the queue, the plugin of its route
 * step (the one a claim sends it to: the claim does not write `plugin_id`), else the one recorded.
 */
export function attemptPlugin(alias: string): string {
  const a = alias;
  return `(CASE WHEN ${a}.state IN ${stateList(IN_QUEUE)} THEN ${a}.route[${a}.route_index + 1] ELSE ${a}.plugin_id END)`;
}

/** The state the API shows of a row in `state` whose queue row is (or is not) leased now. */
export function shownState(state: MessageState, leased: boolean): MessageState {
  if (!IN_QUEUE.includes(state)) return state;
  return leased ? 'SENDING' : 'QUEUED';
}

/**
 * `shownState` as SQL over a row of `messages` aliased `alias`: `leased` is an SQL boolean, its queue row leased
 * now (NULL, as with no queue row, counts as not leased). NULL for a NULL row (an outer join's missing side).
 */
export function shownStateSql(alias: string, leased: string): string {
  const a = alias;
  return `(CASE WHEN ${a}.state IN ${stateList(IN_QUEUE)} THEN (CASE WHEN ${leased} THEN 'SENDING' ELSE 'QUEUED' END) ELSE ${a}.state END)`;
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
