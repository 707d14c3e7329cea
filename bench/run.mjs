// `pnpm bench`: the service on PostgreSQL (or PGlite) and the vendor simulator, each in its own process, and one
// JSON line per figure on stdout (progress on stderr). See docs/benchmarks.md.
//
// Order: the ceilings this machine allows (COPY rows/s, a bare loopback HTTP server), then an API-only service
// process (MUNJA_DISPATCH=false, so no dispatch competes for the CPU) for the 1,000-recipient JSON requests and
// the single sends under 64 connections, then a full service process (dispatch on) in a second fresh database
// for the CSV bulk, its dispatch to COMPLETED, history search over those messages, and its peak memory.
// Exits non-zero only on an error, never because a figure missed its target.
import { performance } from 'node:perf_hooks';
import { copyCeiling } from './ceilings/copy.mjs';
import { bareHttpCeiling } from './ceilings/http.mjs';
import { printFigure, printSkipped, note } from './figure.mjs';
import { PER_REQUEST, jsonRequestsFigure, sendJsonRequests } from './figures/json-requests.mjs';
import { singleSendAtRateFigures, singleSendFigures } from './figures/single-send.mjs';
import { BULK_SERIES, uploadBulk } from './figures/bulk-csv.mjs';
import { dispatchFigures } from './figures/dispatch.mjs';
import { historyFigures } from './figures/history.mjs';
import { fuzzFigures } from './figures/fuzz.mjs';
import { webhookOutboxFigures } from './figures/webhook-outbox.mjs';
import { bulkMemoryFigures } from './figures/bulk-memory.mjs';
import { benchOptions } from './options.mjs';
import { watchMemory } from './rss.mjs';
import { createScratchDatabase } from './scratch-database.mjs';
import { watchDatabaseActivity } from './database-activity.mjs';
import { HttpError, benchProject, serviceClient } from './service-client.mjs';
import { startServiceProcess } from './service-process.mjs';
import { startSimulatorProcess } from './simulator-process.mjs';

const options = benchOptions(process.argv.slice(2));
const postgres = options.database === 'postgres';
const cleanups = [];
const later = (cleanup) => cleanups.unshift(cleanup);

/** A fresh database (PostgreSQL) or none (the service then runs embedded PGlite in memory). */
async function database() {
  if (!postgres) return undefined;
  const scratch = await createScratchDatabase(options.postgresUrl);
  later(scratch.drop);
  return scratch.url;
}

async function service(databaseUrl, simulator, dispatch) {
  const child = await startServiceProcess({ databaseUrl, simulatorUrl: simulator.url, dispatch });
  const memory = watchMemory(child.pid);
  const client = serviceClient(child.url);
  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      memory.stop();
      await client.close();
      await child.stop();
    })();
    return stopped;
  };
  later(stop);
  const project = await benchProject(client, child.operatorKey);
  return { memory, client, project, stop, operatorKey: child.operatorKey, pid: child.pid };
}

async function ceilings() {
  if (postgres) {
    const url = await database();
    const copy = await copyCeiling(url, options.smoke ? 20_000 : 200_000);
    printFigure({ figure: 'ceiling_copy', value: copy.rowsPerSecond, unit: 'rows/s', rows: copy.rows });
  } else {
    printSkipped('ceiling_copy', 'PostgreSQL COPY needs --database postgres');
  }
  const http = await bareHttpCeiling({
    seconds: options.seconds,
    warmUpSeconds: options.warmUpSeconds,
    connections: 64,
  });
  printFigure({
    figure: 'ceiling_http',
    value: http.requestsPerSecond,
    unit: 'requests/s',
    connections: 64,
    p50Ms: http.p50Ms,
    p99Ms: http.p99Ms,
    server: 'bare Fastify, own process',
    ...(http.cpuMsPerRequest === undefined ? {} : { serverCpuMsPerRequest: http.cpuMsPerRequest }),
  });
}

async function acceptFigures(simulator) {
  const api = await service(await database(), simulator, false);
  printFigure(await jsonRequestsFigure(api.client, api.project, { requests: options.jsonRequests }));
  for (const line of await singleSendFigures(api.client, api.project, {
    seconds: options.seconds,
    warmUpSeconds: options.warmUpSeconds,
    pid: api.pid,
  }))
    printFigure(line);
  for (const line of await singleSendAtRateFigures(api.client, api.project, {
    offeredPerSecond: options.offeredRate,
    seconds: options.seconds,
    pid: api.pid,
  }))
    printFigure(line);
  const peakMb = api.memory.peakMb();
  await api.stop();
  return peakMb;
}

/** The bulk upload, or (while the service has no bulk endpoint) the same recipients as JSON requests. */
async function loadRecipients(full) {
  try {
    const upload = await uploadBulk(full.client, full.project, options.recipients);
    const seconds = (upload.acceptedAt - upload.started) / 1000;
    printFigure({
      figure: 'bulk_accept',
      value: upload.answer.accepted / seconds,
      unit: 'recipients/s',
      target: 50000,
      recipients: options.recipients,
      accepted: upload.answer.accepted,
      rejected: upload.answer.rejected,
      csvBytes: upload.csvBytes,
      seconds: Number(seconds.toFixed(2)),
      dispatchRunning: true,
    });
    if (upload.answer.accepted !== options.recipients)
      throw new Error(
        `bulk accepted ${upload.answer.accepted} of ${options.recipients}: ${JSON.stringify(upload.answer)}`,
      );
    return {
      ...upload,
      requestIds: [upload.answer.requestId],
      recipients: options.recipients,
      by: 'csv bulk',
    };
  } catch (error) {
    if (!(error instanceof HttpError && error.statusCode === 404)) throw error;
    printSkipped('bulk_accept', 'POST /v1/messages/bulk answered 404 (not in this build of the service)');
    const requests = Math.ceil(options.recipients / PER_REQUEST);
    note(`loading ${requests * PER_REQUEST} recipients as ${requests} JSON requests for the dispatch figure`);
    const started = performance.now();
    const run = await sendJsonRequests(full.client, full.project, { requests, series: BULK_SERIES });
    return {
      ...run,
      started,
      acceptedAt: performance.now(),
      by: `${requests} JSON requests of ${PER_REQUEST}`,
    };
  }
}

async function bulkFigures(simulator, apiPeakMb) {
  const databaseUrl = await database();
  const full = await service(databaseUrl, simulator, true);
  const activity = postgres ? await watchDatabaseActivity(databaseUrl) : undefined;
  const since = new Date(Date.now() - 1000);
  const loaded = await loadRecipients(full);
  note(`waiting for ${loaded.recipients} messages to be COMPLETED`);
  const dispatch = await dispatchFigures({ ...full, loaded, simulator, databaseUrl });
  for (const line of dispatch) {
    if (line.skipped) printSkipped(line.figure, line.skipped);
    else printFigure(line);
  }
  if (activity) {
    for (const line of await activity.finish(loaded.recipients, 'bulk accept to all COMPLETED'))
      printFigure(line);
  } else {
    for (const figure of ['wal_per_message', 'index_writes_per_message'])
      printSkipped(figure, 'the WAL and table statistics are read on PostgreSQL (--database postgres)');
  }
  const history = await historyFigures(
    full.client,
    full.project,
    {
      count: options.searches,
      series: BULK_SERIES,
      recipients: loaded.recipients,
      since,
    },
    full.pid,
  );
  for (const line of history) printFigure(line);
  printFigure({
    figure: 'peak_rss',
    value: full.memory.peakMb(),
    unit: 'MB',
    target: 300,
    atMost: true,
    process: `service with dispatch, through the ${loaded.recipients}-recipient run (VmHWM)`,
    rssAtEndMb: Number(full.memory.rssMb().toFixed(1)),
    apiOnlyProcessPeakMb: Number(apiPeakMb.toFixed(1)),
  });
}

/** `--fuzz`: the OpenAPI-driven fuzz against a full service process, instead of the figures. */
async function fuzzOnly() {
  const simulator = await startSimulatorProcess();
  later(simulator.stop);
  const full = await service(await database(), simulator, true);
  note(`fuzz: ${options.fuzzRuns} requests (seed ${options.fuzzSeed})`);
  const result = await fuzzFigures(full, { runs: options.fuzzRuns, seed: options.fuzzSeed });
  for (const line of result.lines) printFigure(line);
  if (result.failed) throw new Error('the fuzz found 5xx answers or error bodies out of shape (see above)');
}

/** `--bulk-memory`: the resident memory a bulk upload adds to an API-only service process, instead of the figures. */
async function bulkMemoryOnly() {
  const simulator = await startSimulatorProcess();
  later(simulator.stop);
  const api = await service(await database(), simulator, false);
  note(`bulk memory: ${options.recipients} recipients at the LMS limit, then a malformed 100 MB CSV`);
  for (const line of await bulkMemoryFigures(api, { recipients: options.recipients })) printFigure(line);
}

let failed = false;
try {
  if (options.fuzz) {
    await fuzzOnly();
  } else if (options.bulkMemory) {
    await bulkMemoryOnly();
  } else {
    note(
      `${options.smoke ? 'smoke run: ' : ''}${options.recipients} recipients, database ${options.database}, ` +
        `${options.seconds} s load phases after ${options.warmUpSeconds} s of warm-up`,
    );
    await ceilings();
    const simulator = await startSimulatorProcess();
    later(simulator.stop);
    const apiPeakMb = await acceptFigures(simulator);
    await bulkFigures(simulator, apiPeakMb);
    if (postgres)
      for (const line of await webhookOutboxFigures(options.postgresUrl, options.smoke ? 1000 : 10_000))
        printFigure(line);
    else
      for (const figure of ['wal_per_message_lifecycle', 'wal_per_message_webhook'])
        printSkipped(figure, 'WAL is read on PostgreSQL (--database postgres)');
  }
} catch (error) {
  failed = true;
  process.stderr.write(`bench: failed: ${error instanceof Error ? error.stack : String(error)}\n`);
} finally {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      failed = true;
      process.stderr.write(
        `bench: clean-up failed: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }
  }
}
process.exit(failed ? 1 : 0);
