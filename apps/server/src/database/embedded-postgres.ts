import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, rmdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { lockDataFolder } from './data-folder-lock';
import { keepProtocolSequencesTogether } from './pglite-socket-sequencing';
import { openForStart } from './start-attempt';

export interface EmbeddedPostgres {
  /** postgres:// URL of the loopback server, for the ordinary `pg` driver */
  readonly url: string;
  /** absolute data folder, or undefined when the database lives in memory */
  readonly dataDir: string | undefined;
  /** the whole data folder as a tarball (for templates: `loadDataDir` starts a copy of it) */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

export const IN_MEMORY = 'memory://';

/**
 * PGlite's own start parameters plus a smaller buffer pool: PostgreSQL touches all of shared_buffers at start,
 * so the default 128 MB was resident from the first second (RSS after start: 293 MB for PGlite alone, 189 MB
 * with 32 MB). The data files stay in the operating system's cache anyway.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * Starts PGlite (PostgreSQL compiled to WASM) and serves it on a loopback port with pglite-socket, so the
 * service talks to it through the same `pg` driver as to a PostgreSQL server.
 *
 * PGlite is a single session: pglite-socket multiplexes its connections at the query level and, while one
 * connection has a transaction open, runs only that connection's queries (others wait in its queue).
 * So transactions are serialized — `FOR UPDATE SKIP LOCKED` stays correct (a second claimer starts after
 * the first commits and sees its rows already taken) but never concurrent, and code must never wait, inside
 * a transaction, on a query sent through another connection (it would wait forever).
 */
export function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  // A start-up that fails elsewhere (a plugin's configuration, say) has no application to close, and its
  // PGlite, still starting in parallel, would otherwise keep running and hold the process open.
  return openForStart(
    () => startPglite(options),
    (embedded) => embedded.stop(),
  );
}

interface EmbeddedOptions {
  dataDir: string;
  maxConnections: number;
  /** an in-memory database starts as a copy of this dump (tests: skips initdb and the migrations) */
  loadDataDir?: Blob;
}

async function startPglite(options: EmbeddedOptions): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir === IN_MEMORY ? undefined : resolve(options.dataDir);
  if (dataDir) mkdirSync(dirname(dataDir), { recursive: true });
  // Before PGlite opens the folder: a second process on it refuses to start, naming the first.
  const unlock = dataDir ? lockDataFolder(dataDir) : () => undefined;
  let db: PGlite;
  let server: PGLiteSocketServer;
  try {
    if (dataDir) await initDataFolder(dataDir);
    db = dataDir
      ? new PGlite(dataDir, { startParams: START_PARAMS })
      : new PGlite({
          startParams: START_PARAMS,
          ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
        });
    await db.waitReady;
    server = new PGLiteSocketServer({
      db,
      host: '127.0.0.1',
      port: 0,
      maxConnections: options.maxConnections,
    });
    keepProtocolSequencesTogether(server);
    await server.start();
  } catch (error) {
    unlock();
    throw error;
  }
  const url = `postgres://postgres@${server.getServerConn()}/postgres?sslmode=disable`;
  let stopped = false;
  return {
    url,
    dataDir,
    dump: () => db.dumpDataDir('none') as Promise<Blob>,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await server.stop();
        await db.close();
      } finally {
        unlock();
      }
    },
  };
}

/**
 * Creates a new data folder (PGlite's initdb) in a child process, so that the service never holds initdb's
 * memory. In-process, a first start peaked at 845 MB RSS and stayed there for the whole run: initdb runs a
 * second PostgreSQL instance and initdb.wasm beside the service's own instance, and their WebAssembly
 * memories are garbage that V8 rarely collects. The child peaks at ~780 MB for a few seconds and exits; the
 * service then opens the folder as on any later start (~330 MB). initdb writes into a sibling folder of this
 * process (`<folder>.initdb-<pid>`), renamed into place once complete, so an interrupted first start leaves
 * no half-made database behind (and a child outliving its killed parent writes only into its own folder, removed
 * by the next start). A folder that exists and is not empty is left to PGlite as before.
 */
async function initDataFolder(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) {
    if (readdirSync(dataDir).length > 0) return;
    rmdirSync(dataDir);
  }
  const prefix = `${basename(dataDir)}.initdb-`;
  for (const name of readdirSync(dirname(dataDir))) {
    if (name.startsWith(prefix)) rmSync(join(dirname(dataDir), name), { recursive: true, force: true });
  }
  const staging = `${dataDir}.initdb-${process.pid}`;
  const script = `require(process.argv[1]).PGlite.create(process.argv[2], { startParams: JSON.parse(process.argv[3]) })
    .then((db) => db.close())
    .catch((error) => { console.error(error); process.exit(1); });`;
  try {
    await new Promise<void>((done, fail) =>
      execFile(
        process.execPath,
        ['-e', script, require.resolve('@electric-sql/pglite'), staging, JSON.stringify(START_PARAMS)],
        { maxBuffer: 16 * 1024 * 1024 },
        (error, _stdout, stderr) =>
          error ? fail(new Error(`initdb of ${dataDir} failed: ${stderr.trim() || error.message}`)) : done(),
      ),
    );
    if (!existsSync(join(staging, 'PG_VERSION'))) throw new Error(`initdb of ${dataDir} wrote no PG_VERSION`);
    renameSync(staging, dataDir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}
