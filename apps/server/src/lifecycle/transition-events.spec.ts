import { describe, expect, it } from '@jest/globals';
import { FINAL_STATES, MESSAGE_STATES, STATUS_OF_STATE, type MessageState } from './message-states';
import { EVENT_ON_ENTERING, messageEvents, type MessageTransitionRow } from './transition-events';

const at = new Date('2026-03-02T01:00:00.000Z');
function row(state: MessageState): MessageTransitionRow {
  return {
    id: `m-${state}`,
    project_id: 'p',
    request_id: 'r',
    request_at: at,
    reservation_id: null,
    to_number: '01011112222',
    country_code: '82',
    from_number: '0212345678',
    type: 'SMS',
    content_type: 'COMM',
    status: STATUS_OF_STATE[state],
    state,
    status_name: state === 'DELIVERED' ? 'success' : null,
    status_code: null,
    status_message: null,
    telco_code: null,
    complete_time: null,
    due_at: at,
    sent_at: null,
    plugin_id: 'sens',
    metric_plugin: 'sens',
    updated_at: at,
  };
}

describe('which message transitions are webhook events', () => {
  it('announces the vendor taking a message and every final state, not claims and returns to the queue', () => {
    const announced = MESSAGE_STATES.filter((s) => EVENT_ON_ENTERING[s]);
    expect(announced).toEqual(['SENT', ...FINAL_STATES]);
    const events = messageEvents(MESSAGE_STATES.map(row), 'changed');
    expect(events.map((e) => (e.data() as { state: string }).state)).toEqual(announced);
  });

  it('announces every accepted message, whatever its first state', () => {
    const first: MessageState[] = ['QUEUED', 'RESERVED', 'BLOCKED', 'REJECTED'];
    const events = messageEvents(first.map(row), 'accepted');
    expect(events.map((e) => [e.type, e.projectId, e.at])).toEqual(
      first.map(() => ['message.status_changed', 'p', at]),
    );
    expect(events[0]!.data()).toEqual({
      messageId: 'm-QUEUED',
      requestId: 'r',
      requestTime: '2026-03-02T01:00:00.000Z',
      type: 'SMS',
      contentType: 'COMM',
      countryCode: '82',
      from: '0212345678',
      to: '01011112222',
      status: 'READY',
      state: 'QUEUED',
      statusName: null,
      statusCode: null,
      statusMessage: null,
      telcoCode: null,
      completeTime: null,
      sendTime: '2026-03-02T01:00:00.000Z',
      reservationId: null,
      pluginId: 'sens',
    });
  });
});
