// The CSV bulk upload of two (or more) builds of the service, alternated, each against a `ceiling_copy` taken
// just before it, with the CPU the upload costs the service process and PostgreSQL's backends:
//   cp -r apps/server/dist apps/server/dist-base   # the build to compare against, before rebuilding
//   node bench/bulk-ab.mjs [--builds dist-base,dist] [--rounds 3] [--recipients 100000] [--dispatch on|off]
// Each round and build: `ceiling_copy` (200,000 rows, its own fresh database), then a fresh database, a full
// service process (node apps/server/<build>/main.js; the dispatcher on, as `pnpm bench` runs the upload, unless
// --dispatch off) and `bulk_accept`'s upload (bench/figures/bulk-csv.mjs). PostgreSQL's CPU is read from
// /proc/<pid>/stat of the database's backends (found by their process titles), so the server must run on this
// machine: `uploadBackendMs` is the backend that worked most (the upload's transaction), `otherBackendsMs` the
// rest (the dispatcher's claims and polls, when it is on). `busy` is the share of the upload's wall time each
// used a core.
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { copyCeiling } from './ceilings/copy.mjs';
import { backendsCpuMs, cpuMs } from './cpu-time.mjs';
import { uploadBulk } from './figures/bulk-csv.mjs';
import { benchPostgresUrl, createScratchDatabase } from './scratch-database.mjs';
import { withScratchService } from './scratch-service.mjs';
import { startSimulatorProcess } from './simulator-process.mjs';

const { values } = parseArgs({
  options: {
    builds: { type: 'string', default: 'dist-base,dist' },
    rounds: { type: 'string', default: '3' },
    recipients: { type: 'string', default: '100000' },
    dispatch: { type: 'string', default: 'on' },
  },
});
const recipients = Number(values.recipients);

const round1 = (n) => Number(n.toFixed(1));

const simulator = await startSimulatorProcess();
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const build of values.builds.split(',')) {
      const ceilingDatabase = await createScratchDatabase(benchPostgresUrl);
      let ceiling;
      try {
        ceiling = await copyCeiling(ceilingDatabase.url, 200_000);
      } finally {
        await ceilingDatabase.drop();
      }
      const settings = {
        simulatorUrl: simulator.url,
        build,
        dispatch: values.dispatch !== 'off',
      };
      await withScratchService(settings, async ({ service, client, project, database }) => {
        const loadBefore = loadavg()[0];
        const backendsBefore = backendsCpuMs(database);
        const serviceBefore = cpuMs(service.pid);
        const upload = await uploadBulk(client, project, recipients);
        const serviceMs = cpuMs(service.pid) - serviceBefore;
        const backendsAfter = backendsCpuMs(database);
        const seconds = (upload.acceptedAt - upload.started) / 1000;
        const used = [...backendsAfter].map(([pid, ms]) => ms - (backendsBefore.get(pid) ?? 0));
        used.sort((a, b) => b - a);
        const uploadBackendMs = used[0] ?? 0;
        const otherBackendsMs = used.slice(1).reduce((a, b) => a + b, 0);
        if (upload.answer.accepted !== recipients)
          throw new Error(`accepted ${upload.answer.accepted} of ${recipients}`);
        const perSecond = recipients / seconds;
        console.log(
          JSON.stringify({
            round,
            build,
            dispatch: values.dispatch !== 'off',
            ceilingCopy: Math.round(ceiling.rowsPerSecond),
            bulkAccept: Math.round(perSecond),
            ratio: Number((perSecond / ceiling.rowsPerSecond).toFixed(3)),
            seconds: Number(seconds.toFixed(2)),
            serviceUsPerRecipient: round1((serviceMs * 1000) / recipients),
            uploadBackendUsPerRow: round1((uploadBackendMs * 1000) / recipients),
            otherBackendsMs: Math.round(otherBackendsMs),
            busy: {
              service: Number((serviceMs / 1000 / seconds).toFixed(2)),
              uploadBackend: Number((uploadBackendMs / 1000 / seconds).toFixed(2)),
            },
            load: [loadBefore.toFixed(1), loadavg()[0].toFixed(1)].join('→'),
          }),
        );
      });
    }
  }
} finally {
  await simulator.stop();
}
