// A second Munja process for the schedules test: the dispatch test's child (the whole app, dispatching and running
// the schedule runner), with its clock shifted by the milliseconds written in MUNJA_TEST_CLOCK_FILE, so the test
// moves both processes to an occurrence together instead of waiting for one by the wall clock.
require('./dispatch-child.cjs');
// Loaded through the .ts hook the line above installed: the same module instance the app reads its clock from.
const { systemClock } = require('../src/common/clock.ts');
// The test replaces the file whole; a read that still finds no number keeps the offset it had (offset 0 is the
// real wall clock, months past the test's occurrence: the runner would record it STALE).
const { readClockOffset } = require('./support/clock-offset-file.ts');

const file = process.env.MUNJA_TEST_CLOCK_FILE;
let offset = 0;
let readAt = 0;
systemClock.now = () => {
  const real = Date.now();
  if (file && real - readAt >= 20) {
    offset = readClockOffset(file, offset);
    readAt = real;
  }
  return new Date(real + offset);
};
