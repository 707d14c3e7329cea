import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

/** Who holds a data folder: written into `<folder>.lock` by the process that opened it. */
interface Holder {
  pid: number;
  startedAt: string;
}

function readHolder(file: string): Holder | undefined {
  try {
    const holder = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    return typeof holder.pid === 'number' ? (holder as Holder) : undefined;
  } catch {
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataFolderInUseError extends Error {
  constructor(folder: string, holder: Holder) {
    super(
      `the data folder ${folder} is in use by another Munja process (pid ${holder.pid}, started ${holder.startedAt}); ` +
        'stop that one first, or set MUNJA_PGLITE_DIR to another folder',
    );
  }
}

/**
 * Locks an embedded database folder for this process: PGlite is one process's database, and two processes on
 * one folder each see only their own writes and lose them. The lock is `<folder>.lock` created exclusively
 * (O_EXCL) with this process's pid; a lock left by a process that no longer runs is taken over. Returns the
 * release (the folder is unlocked when the database stops).
 */
export function lockDataFolder(folder: string): () => void {
  const file = `${folder}.lock`;
  const mine: Holder = { pid: process.pid, startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, JSON.stringify(mine));
      } finally {
        closeSync(fd);
      }
      return () => {
        if (readHolder(file)?.startedAt === mine.startedAt && readHolder(file)?.pid === mine.pid) {
          unlinkSync(file);
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      // A lock being written this instant has no holder yet: try again.
      if (holder && isRunning(holder.pid)) throw new DataFolderInUseError(folder, holder);
      if (holder) {
        try {
          unlinkSync(file);
        } catch (unlinkError) {
          if ((unlinkError as NodeJS.ErrnoException).code !== 'ENOENT') throw unlinkError;
        }
      }
    }
  }
  const holder = readHolder(file);
  throw holder
    ? new DataFolderInUseError(folder, holder)
    : new Error(`the data folder ${folder} could not be locked (${file})`);
}
