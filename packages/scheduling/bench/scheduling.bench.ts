// Prints one JSON line per figure: how fast the scheduling rules run on this machine. Not a test.
import { dueOccurrences, listOccurrences, occurrenceKey, resolveReserveTime, validateSchedule } from '../src';

function measure(name: string, unit: string, run: () => number, minMs = 1_000): void {
  run(); // warm-up
  let items = 0;
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    items += run();
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  console.log(
    JSON.stringify({
      bench: name,
      [`${unit}PerSecond`]: Math.round((items / elapsedMs) * 1000),
      items,
      ms: Math.round(elapsedMs),
    }),
  );
}

const now = new Date('2026-03-01T00:00:00.000Z');
const daily = (timeZone: string) =>
  validateSchedule({
    code: 'daily',
    weekdays: 'EVERY_DAY',
    time: '02:30',
    timeZone,
    startDate: '2026-03-01',
    endDate: '2026-09-01',
  });

for (const zone of ['Asia/Seoul', 'America/New_York']) {
  const schedule = daily(zone);
  measure(
    `listOccurrences 6 months daily (${zone})`,
    'occurrences',
    () => listOccurrences(schedule, now, 1_000).length,
  );
  measure(`dueOccurrences, one due of a daily schedule (${zone})`, 'calls', () => {
    dueOccurrences(schedule, new Date('2026-06-01T00:00:00Z'), new Date('2026-06-02T00:00:00Z'));
    return 1;
  });
}

const times = Array.from(
  { length: 1_000 },
  (_, i) =>
    `2026-0${3 + (i % 5)}-${String(2 + (i % 27)).padStart(2, '0')} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
);
for (const zone of ['Asia/Seoul', 'Europe/Berlin']) {
  measure(`resolveReserveTime (${zone})`, 'reservations', () => {
    for (const reserveTime of times) resolveReserveTime({ reserveTime, reserveTimeZone: zone }, { now });
    return times.length;
  });
}

const instant = new Date('2026-03-08T07:00:00.000Z');
measure('occurrenceKey', 'keys', () => {
  for (let i = 0; i < 10_000; i++) occurrenceKey(i, instant);
  return 10_000;
});
