import { describe, it, expect } from '@jest/globals';
import { updateSchedule, validateSchedule } from './schedule';
import { occurrenceSkipReason, reservationForOccurrence } from './schedule-reservation';

const schedule = validateSchedule({
  code: 'morning',
  weekdays: ['SUN', 'MON'],
  time: '02:30',
  timeZone: 'America/New_York',
  startDate: '2026-03-01',
  endDate: '2026-03-31',
});
const templates = [
  { id: 'm1', content: 'Good morning' },
  { id: 'm2', content: 'Second message' },
];

describe('reservationForOccurrence', () => {
  it('makes one READY reservation per occurrence, one message per template, keyed by the occurrence', () => {
    const gapDay = new Date('2026-03-08T07:00:00.000Z'); // 02:30 does not exist that Sunday: 03:00 EDT
    expect(reservationForOccurrence(7, schedule, gapDay, templates)).toEqual({
      occurrenceKey: '7@2026-03-08T07:00:00.000Z',
      scheduleId: '7',
      scheduleCode: 'morning',
      sendAt: gapDay,
      reserveTimeZone: 'America/New_York',
      reserveTime: '2026-03-08 03:00',
      occurrence: {
        instant: gapDay,
        date: '2026-03-08',
        local: '2026-03-08 03:00',
        adjustment: 'DST_GAP_SHIFTED',
      },
      status: 'READY',
      messages: [
        { templateId: 'm1', messageKey: '7@2026-03-08T07:00:00.000Z#m1', template: templates[0] },
        { templateId: 'm2', messageKey: '7@2026-03-08T07:00:00.000Z#m2', template: templates[1] },
      ],
    });
  });

  it('gives two computations of the same occurrence the same keys, and different occurrences different keys', () => {
    const monday = new Date('2026-03-09T06:30:00.000Z');
    const a = reservationForOccurrence('s-1', schedule, monday, templates);
    const b = reservationForOccurrence(
      's-1',
      validateSchedule({ ...schedule }),
      new Date(monday.getTime()),
      templates,
    );
    expect(b.occurrenceKey).toBe(a.occurrenceKey);
    expect(b.messages.map((m) => m.messageKey)).toEqual(a.messages.map((m) => m.messageKey));
    const sunday = reservationForOccurrence('s-1', schedule, new Date('2026-03-15T06:30:00.000Z'), templates);
    expect(sunday.occurrenceKey).not.toBe(a.occurrenceKey);
  });

  it.each([
    ['a minute off', '2026-03-09T06:31:00.000Z'],
    ['a day not selected (Tuesday)', '2026-03-10T06:30:00.000Z'],
    ['before the period', '2026-02-23T07:30:00.000Z'],
    ['after the period', '2026-04-05T06:30:00.000Z'],
  ])('refuses an instant that is not an occurrence: %s', (_, at) => {
    expect(() => reservationForOccurrence('s', schedule, new Date(at), templates)).toThrow(
      expect.objectContaining({ code: 'NOT_AN_OCCURRENCE', field: 'occurrenceInstant' }),
    );
  });

  it('refuses no templates and repeated or empty template ids', () => {
    const at = new Date('2026-03-09T06:30:00.000Z');
    expect(() => reservationForOccurrence('s', schedule, at, [])).toThrow(
      expect.objectContaining({ code: 'NO_TEMPLATES', field: 'templates' }),
    );
    expect(() => reservationForOccurrence('s', schedule, at, [{ id: 'm1' }, { id: 'm1' }])).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_TEMPLATE', field: 'templates[1].id' }),
    );
    expect(() => reservationForOccurrence('s', schedule, at, [{ id: '' }])).toThrow(
      expect.objectContaining({ code: 'DUPLICATE_TEMPLATE', field: 'templates[0].id' }),
    );
  });
});

describe('occurrenceSkipReason', () => {
  const monday = new Date('2026-03-09T06:30:00.000Z');

  it('null while the schedule still fires then', () => {
    expect(occurrenceSkipReason(schedule, monday)).toBeNull();
  });

  it('SCHEDULE_DISABLED, SCHEDULE_ENDED or SCHEDULE_CHANGED after an update', () => {
    expect(occurrenceSkipReason(updateSchedule(schedule, { enabled: false }), monday)).toBe(
      'SCHEDULE_DISABLED',
    );
    expect(occurrenceSkipReason(updateSchedule(schedule, { endDate: '2026-03-08' }), monday)).toBe(
      'SCHEDULE_ENDED',
    );
    expect(occurrenceSkipReason(updateSchedule(schedule, { startDate: '2026-03-10' }), monday)).toBe(
      'SCHEDULE_ENDED',
    );
    expect(occurrenceSkipReason(updateSchedule(schedule, { time: '08:00' }), monday)).toBe(
      'SCHEDULE_CHANGED',
    );
    expect(occurrenceSkipReason(updateSchedule(schedule, { weekdays: ['SUN'] }), monday)).toBe(
      'SCHEDULE_CHANGED',
    );
  });
});
