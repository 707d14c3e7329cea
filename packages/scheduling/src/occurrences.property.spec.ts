import { describe, it, expect, afterEach } from '@jest/globals';
import fc from 'fast-check';
import { DateTime, Settings } from 'luxon';
import { occurrenceKey } from './occurrence-key';
import { listOccurrences, nextOccurrences } from './occurrences';
import { Schedule, validateSchedule } from './schedule';
import { formatLocal } from './wall-time';
import { Weekday, WEEKDAYS, weekdayNumber } from './weekday';

const ZONES = ['America/New_York', 'Europe/Berlin', 'Asia/Seoul', 'Australia/Lord_Howe', 'America/Santiago'];
const pad = (n: number) => String(n).padStart(2, '0');

/** The 2026 clock changes of each zone: the day and the local hour whose times are missing or repeated. */
const CHANGES: Record<string, { day: string; hour: number }[]> = {
  'America/New_York': [
    { day: '2026-03-08', hour: 2 },
    { day: '2026-11-01', hour: 1 },
  ],
  'Europe/Berlin': [
    { day: '2026-03-29', hour: 2 },
    { day: '2026-10-25', hour: 2 },
  ],
  'Australia/Lord_Howe': [
    { day: '2026-10-04', hour: 2 },
    { day: '2026-04-05', hour: 1 },
  ],
  'America/Santiago': [
    { day: '2026-09-06', hour: 0 },
    { day: '2026-04-04', hour: 23 },
  ],
  'Asia/Seoul': [{ day: '2026-06-01', hour: 9 }],
};

const anyTime = fc.record({
  start: fc
    .date({
      min: new Date('2025-01-01T00:00:00Z'),
      max: new Date('2030-12-31T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => DateTime.fromJSDate(d, { zone: 'utc' }).startOf('day')),
  hour: fc.oneof(
    fc.integer({ min: 0, max: 3 }),
    fc.integer({ min: 22, max: 23 }),
    fc.integer({ min: 0, max: 23 }),
  ),
  alsoOn: fc.constant<Weekday[]>([]),
});

/** A period starting up to 20 days before one of the zone's changes, at its hour, selecting its weekday. */
const throughChange = (zone: string) =>
  fc
    .tuple(fc.constantFrom(...(CHANGES[zone] ?? [])), fc.integer({ min: 0, max: 20 }))
    .map(([change, daysBefore]) => {
      const day = DateTime.fromISO(change.day, { zone: 'utc' });
      return {
        start: day.minus({ days: daysBefore }),
        hour: change.hour,
        alsoOn: [WEEKDAYS[day.weekday - 1] as Weekday],
      };
    });

/** Half the schedules run through one of their zone's clock changes at the very hour it skips or repeats. */
const scheduleArb = fc
  .constantFrom(...ZONES)
  .chain((zone) =>
    fc.record({
      zone: fc.constant(zone),
      weekdays: fc.subarray([...WEEKDAYS], { minLength: 1 }),
      at: fc.oneof(anyTime, throughChange(zone)),
      minute: fc.oneof(fc.constantFrom(0, 15, 30, 59), fc.integer({ min: 0, max: 59 })),
      lengthDays: fc.integer({ min: 0, max: 200 }),
    }),
  )
  .map(({ zone, weekdays, at, minute, lengthDays }) => {
    const end = DateTime.min(at.start.plus({ days: lengthDays }), at.start.plus({ months: 6 }));
    return validateSchedule({
      code: 'prop',
      weekdays: [...weekdays, ...at.alsoOn],
      time: `${pad(at.hour)}:${pad(minute)}`,
      timeZone: zone,
      startDate: at.start.toISODate() as string,
      endDate: end.toISODate() as string,
    });
  });

/** `after` anywhere from ten days before the period to two days after it. */
const withAfter = scheduleArb.chain((schedule) => {
  const from = DateTime.fromISO(schedule.startDate, { zone: 'utc' }).minus({ days: 10 }).toMillis();
  const to = DateTime.fromISO(schedule.endDate, { zone: 'utc' }).plus({ days: 2 }).toMillis();
  return fc.tuple(
    fc.constant(schedule),
    fc.integer({ min: from, max: to }).map((ms) => new Date(ms)),
    fc.integer({ min: 1, max: 40 }),
  );
});

/** Every day of the period on a selected weekday, in order: the days that must have an occurrence. */
function selectedDays(schedule: Schedule): string[] {
  const days: string[] = [];
  const wanted = new Set(schedule.weekdays.map(weekdayNumber));
  const end = DateTime.fromISO(schedule.endDate, { zone: 'utc' });
  for (let d = DateTime.fromISO(schedule.startDate, { zone: 'utc' }); d <= end; d = d.plus({ days: 1 })) {
    if (wanted.has(d.weekday)) days.push(d.toISODate() as string);
  }
  return days;
}

describe('occurrence properties', () => {
  const processZone = process.env.TZ;
  afterEach(() => {
    Settings.defaultZone = 'system';
    if (processZone === undefined) delete process.env.TZ;
    else process.env.TZ = processZone;
  });

  it('the generated schedules do reach DST gaps and overlaps (so the properties below test the DST rule)', () => {
    const seen = new Set(
      fc
        .sample(scheduleArb, { numRuns: 150, seed: 1 })
        .flatMap((schedule) =>
          listOccurrences(schedule, new Date(0), 40).map((occurrence) => occurrence.adjustment),
        ),
    );
    expect([...seen].sort()).toEqual(['DST_GAP_SHIFTED', 'DST_OVERLAP_EARLIER', 'NONE']);
  });

  it('strictly increasing, after `after`, on selected weekdays inside the period, none skipped', () => {
    fc.assert(
      fc.property(withAfter, ([schedule, after, count]) => {
        const found = listOccurrences(schedule, after, count);
        const days = selectedDays(schedule);
        let previous = after.getTime();
        for (const occurrence of found) {
          expect(occurrence.instant.getTime()).toBeGreaterThan(previous);
          previous = occurrence.instant.getTime();
          expect(occurrence.date >= schedule.startDate && occurrence.date <= schedule.endDate).toBe(true);
          const weekday = DateTime.fromISO(occurrence.date, { zone: 'utc' }).weekday;
          expect(schedule.weekdays.map(weekdayNumber)).toContain(weekday);
        }
        // The days found are consecutive selected days, starting at the first one whose occurrence is after `after`.
        const dates = found.map((o) => o.date);
        const firstIndex = dates.length > 0 ? days.indexOf(dates[0] as string) : days.length;
        expect(dates).toEqual(days.slice(firstIndex, firstIndex + dates.length));
        if (firstIndex > 0) {
          const [before] = listOccurrences(schedule, new Date(0), firstIndex).slice(-1);
          expect(before?.instant.getTime()).toBeLessThanOrEqual(after.getTime());
        }
        if (found.length < count) expect(firstIndex + found.length).toBe(days.length);
      }),
      { numRuns: 150 },
    );
  });

  it('at the selected local wall time, or its documented DST substitute', () => {
    fc.assert(
      fc.property(withAfter, ([schedule, after, count]) => {
        for (const occurrence of listOccurrences(schedule, after, count)) {
          const requested = `${occurrence.date} ${schedule.time}`;
          const t = occurrence.instant.getTime();
          const shown = formatLocal(t, schedule.timeZone);
          expect(shown).toBe(occurrence.local);
          if (occurrence.adjustment === 'DST_GAP_SHIFTED') {
            // the wall time does not exist: the first minute after the jump
            expect(shown > requested).toBe(true);
            expect(formatLocal(t - 60_000, schedule.timeZone) < requested).toBe(true);
          } else {
            expect(shown).toBe(requested);
          }
          // the earlier instance of a repeated time: no earlier minute (by up to two hours) shows it
          for (const back of [1, 30, 60, 120]) {
            expect(formatLocal(t - back * 60_000, schedule.timeZone) < requested).toBe(true);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('keys: unique per occurrence, and equal across two independent computations', () => {
    fc.assert(
      fc.property(
        withAfter,
        fc.constantFrom(...ZONES),
        fc.nat(),
        ([schedule, after, count], machineZone, split) => {
          const id = 'sched-1';
          const first = nextOccurrences(schedule, after, count).map((t) => occurrenceKey(id, t));
          expect(new Set(first).size).toBe(first.length);

          // Another process: its own copy of the schedule (from JSON, zone spelled in lower case), another machine zone,
          // and a cursor that starts part-way through.
          Settings.defaultZone = machineZone;
          process.env.TZ = machineZone; // Node applies a changed TZ to Date at once
          const copy = validateSchedule({
            ...JSON.parse(JSON.stringify(schedule)),
            timeZone: schedule.timeZone.toLowerCase(),
          });
          const from = first.length > 0 ? split % first.length : 0;
          const cursor = from === 0 ? after : nextOccurrences(copy, after, from)[from - 1];
          const second = nextOccurrences(copy, cursor as Date, count - from).map((t) => occurrenceKey(id, t));
          Settings.defaultZone = 'system';
          if (processZone === undefined) delete process.env.TZ;
          else process.env.TZ = processZone;
          expect(second).toEqual(first.slice(from));
        },
      ),
      { numRuns: 100 },
    );
  });
});
