import { describe, it, expect } from '@jest/globals';
import {
  confirmScheduleDeletion,
  Schedule,
  ScheduleInput,
  SCHEDULE_CODE_MAX_LENGTH,
  SCHEDULE_DESCRIPTION_MAX_LENGTH,
  updateSchedule,
  validateSchedule,
} from './schedule';
import { latestPeriodEnd } from './schedule-period';
import { everyDay, isEveryDay, normalizeWeekdays } from './weekday';

const base: ScheduleInput = {
  code: 'weekly-report_1',
  weekdays: ['MON', 'WED', 'FRI'],
  time: '09:30',
  startDate: '2026-01-15',
  endDate: '2026-07-15',
  description: 'Weekly report',
};

const failsWith = (input: ScheduleInput, code: string, field: string) =>
  expect(() => validateSchedule(input)).toThrow(expect.objectContaining({ code, field }));

describe('validateSchedule', () => {
  it('returns the normalized schedule, Asia/Seoul and enabled by default', () => {
    const expected: Schedule = {
      code: 'weekly-report_1',
      weekdays: ['MON', 'WED', 'FRI'],
      time: '09:30',
      timeZone: 'Asia/Seoul',
      startDate: '2026-01-15',
      endDate: '2026-07-15',
      description: 'Weekly report',
      enabled: true,
    };
    expect(validateSchedule(base)).toEqual(expected);
    expect(validateSchedule({ ...base, description: undefined }).description).toBe('');
  });

  describe('code: letters, digits, - and _, 1 to 64 characters', () => {
    it.each(['a', 'A-b_9', 'x'.repeat(SCHEDULE_CODE_MAX_LENGTH), '2026_report'])('accepts %p', (code) => {
      expect(validateSchedule({ ...base, code }).code).toBe(code);
    });
    it.each([
      '',
      'x'.repeat(SCHEDULE_CODE_MAX_LENGTH + 1),
      'has space',
      'dot.code',
      'slash/code',
      '한글',
      'é',
      'a\n',
    ])('refuses %p', (code) => failsWith({ ...base, code }, 'INVALID_SCHEDULE_CODE', 'code'));
  });

  describe('weekdays', () => {
    it('sorts into week order and folds repeats', () => {
      expect(validateSchedule({ ...base, weekdays: ['SUN', 'MON', 'SUN'] }).weekdays).toEqual(['MON', 'SUN']);
    });
    it('"every day" selects all seven', () => {
      expect(validateSchedule({ ...base, weekdays: 'EVERY_DAY' }).weekdays).toEqual(everyDay());
      expect(everyDay()).toEqual(['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN']);
      expect(isEveryDay(normalizeWeekdays(['SUN', 'SAT', 'FRI', 'THU', 'WED', 'TUE', 'MON']))).toBe(true);
      expect(isEveryDay(['MON'])).toBe(false);
    });
    it.each([[[]], [['MONDAY']], [['mon']], ['MON'], [null]])('refuses %p', (weekdays) =>
      failsWith({ ...base, weekdays: weekdays as ScheduleInput['weekdays'] }, 'INVALID_WEEKDAYS', 'weekdays'),
    );
  });

  it.each([
    ['9:30', 'INVALID_FORMAT'],
    ['09:30:00', 'INVALID_FORMAT'],
    ['24:00', 'INVALID_TIME'],
    ['23:60', 'INVALID_TIME'],
  ])('time %p → %s', (time, code) => failsWith({ ...base, time }, code, 'time'));

  it.each(['00:00', '23:59'])('time %p is accepted', (time) => {
    expect(validateSchedule({ ...base, time }).time).toBe(time);
  });

  it('time zone: canonical IANA names only', () => {
    expect(validateSchedule({ ...base, timeZone: 'europe/berlin' }).timeZone).toBe('Europe/Berlin');
    failsWith({ ...base, timeZone: 'KST' }, 'UNKNOWN_TIME_ZONE', 'timeZone');
    failsWith({ ...base, timeZone: 'UTC+9' }, 'UNKNOWN_TIME_ZONE', 'timeZone');
  });

  it.each([
    [{ startDate: '2026-1-15' }, 'INVALID_FORMAT', 'startDate'],
    [{ startDate: '2026-02-30' }, 'INVALID_DATE', 'startDate'],
    [{ endDate: '2026-06-31' }, 'INVALID_DATE', 'endDate'],
    [{ endDate: '2026-01-14' }, 'PERIOD_END_BEFORE_START', 'endDate'],
  ])('period %p → %s', (patch, code, field) => failsWith({ ...base, ...patch }, code, field));

  it('a one-day period (start = end) is allowed', () => {
    expect(validateSchedule({ ...base, endDate: '2026-01-15' }).endDate).toBe('2026-01-15');
  });

  describe('the period ends at most 6 calendar months after it starts', () => {
    it.each([
      // start, a day before the limit, the limit, a day after it
      ['2026-01-15', '2026-07-14', '2026-07-15', '2026-07-16'],
      ['2026-03-31', '2026-09-29', '2026-09-30', '2026-10-01'], // Sept has 30 days: clamped
      ['2026-08-31', '2027-02-27', '2027-02-28', '2027-03-01'], // to a common-year February
      ['2027-08-31', '2028-02-28', '2028-02-29', '2028-03-01'], // to a leap day
      ['2028-02-29', '2028-08-28', '2028-08-29', '2028-08-30'], // from a leap day: Aug 29, not the end of August
      ['2026-12-31', '2027-06-29', '2027-06-30', '2027-07-01'], // across a year
    ])('from %s: %s ok, %s ok, %s refused', (startDate, dayBefore, limit, dayAfter) => {
      const [y, m, d] = startDate.split('-').map(Number) as [number, number, number];
      expect(latestPeriodEnd({ year: y, month: m, day: d })).toEqual({
        year: Number(limit.slice(0, 4)),
        month: Number(limit.slice(5, 7)),
        day: Number(limit.slice(8, 10)),
      });
      expect(validateSchedule({ ...base, startDate, endDate: dayBefore }).endDate).toBe(dayBefore);
      expect(validateSchedule({ ...base, startDate, endDate: limit }).endDate).toBe(limit);
      expect(() => validateSchedule({ ...base, startDate, endDate: dayAfter })).toThrow(
        expect.objectContaining({
          code: 'PERIOD_TOO_LONG',
          field: 'endDate',
          details: { limit, actual: dayAfter },
        }),
      );
    });
  });

  it('with `now`, refuses a period already over in the schedule zone', () => {
    // 2026-07-15 ends at 2026-07-16 00:00 in Seoul = 2026-07-15T15:00Z
    const input = { ...base, endDate: '2026-07-15' };
    expect(validateSchedule(input, { now: new Date('2026-07-15T14:59:59.999Z') }).endDate).toBe('2026-07-15');
    expect(() => validateSchedule(input, { now: new Date('2026-07-15T15:00:00.000Z') })).toThrow(
      expect.objectContaining({ code: 'PERIOD_ALREADY_ENDED', field: 'endDate' }),
    );
  });

  it('description: text up to 500 characters', () => {
    const longest = 'x'.repeat(SCHEDULE_DESCRIPTION_MAX_LENGTH);
    expect(validateSchedule({ ...base, description: longest }).description).toBe(longest);
    failsWith({ ...base, description: `${longest}x` }, 'INVALID_DESCRIPTION', 'description');
    failsWith({ ...base, description: 42 as unknown as string }, 'INVALID_DESCRIPTION', 'description');
  });

  it('refuses an unknown field and a non-boolean enabled', () => {
    failsWith({ ...base, color: 'red' } as ScheduleInput, 'UNKNOWN_FIELD', 'color');
    failsWith({ ...base, enabled: 'yes' as unknown as boolean }, 'INVALID_ARGUMENT', 'enabled');
  });
});

describe('updateSchedule', () => {
  const current = validateSchedule(base);

  it('applies the patch and returns a new schedule, leaving the old one as it was', () => {
    const updated = updateSchedule(current, { time: '18:00', weekdays: 'EVERY_DAY', enabled: false });
    expect(updated).toEqual({ ...current, time: '18:00', weekdays: everyDay(), enabled: false });
    expect(current.time).toBe('09:30');
  });

  it('ignores fields given as undefined', () => {
    expect(updateSchedule(current, { description: undefined })).toEqual(current);
  });

  it('validates the merged schedule: a new start is checked against the kept end', () => {
    expect(() => updateSchedule(current, { startDate: '2026-01-14' })).toThrow(
      expect.objectContaining({ code: 'PERIOD_TOO_LONG', field: 'endDate' }),
    );
    expect(updateSchedule(current, { startDate: '2026-02-01' }).startDate).toBe('2026-02-01');
    expect(() => updateSchedule(current, { endDate: '2026-01-01' })).toThrow(
      expect.objectContaining({ code: 'PERIOD_END_BEFORE_START' }),
    );
  });

  it('refuses bad and unknown fields', () => {
    expect(() => updateSchedule(current, { code: 'no spaces' })).toThrow(
      expect.objectContaining({ code: 'INVALID_SCHEDULE_CODE', field: 'code' }),
    );
    expect(() => updateSchedule(current, { id: 3 } as never)).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_FIELD', field: 'id' }),
    );
  });
});

describe('confirmScheduleDeletion', () => {
  it('passes only when the code is typed again exactly', () => {
    expect(() => confirmScheduleDeletion({ code: 'weekly-report_1' }, 'weekly-report_1')).not.toThrow();
  });
  it.each(['WEEKLY-REPORT_1', ' weekly-report_1', 'weekly-report_1 ', '', undefined, 'weekly'])(
    'refuses %p',
    (typed) => {
      expect(() => confirmScheduleDeletion({ code: 'weekly-report_1' }, typed)).toThrow(
        expect.objectContaining({ code: 'DELETE_CONFIRMATION_MISMATCH', field: 'confirmationCode' }),
      );
    },
  );
});
