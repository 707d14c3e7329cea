// A second Munja process for the schedules test: the dispatch test's child (the whole app, dispatching and running
// the schedule runner), with its clock shifted by the milliseconds written in MUNJA_TEST_CLOCK_FILE, so the test
// moves both processes to an occurrence together instead of waiting for one by the wall clock.
const fs = require('node:fs');

require('./dispatch-child.cjs');
// Loaded through the .ts hook the line above installed: the same module instance the app reads its clock from.
const { systemClock } = require('../src/common/clock.ts');

const file = process.env.MUNJA_TEST_CLOCK_FILE;
let offset = 0;
let readAt = 0;
systemClock.now = () => {
  const real = Date.now();
  if (file && real - readAt >= 20) {
    offset = Number(fs.readFileSync(file, 'utf8')) || 0;
    readAt = real;
  }
  return new Date(real + offset);
};
