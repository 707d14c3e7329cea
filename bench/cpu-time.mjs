// CPU time of a process (all its threads, user + system) from /proc/<pid>/stat, in ms: on a machine shared with
// other work the wall-clock rates move with the load, the CPU a request costs much less.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** ms of CPU the process has used so far, or undefined (it has exited, or this is not Linux) */
export function cpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command name (which may hold spaces) in parentheses: utime and stime are 14th and 15th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * pid → CPU ms of every PostgreSQL backend of `database` alive now, found by its process title (`postgres: …
 * <user> <database> …`), so the server must run on this machine. A backend that has exited is not counted.
 */
export function backendsCpuMs(database) {
  const found = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let title;
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!title.startsWith('postgres: ') || !title.split(/\s+/).includes(database)) continue;
    const ms = cpuMs(Number(entry));
    if (ms !== undefined) found.set(Number(entry), ms);
  }
  return found;
}
