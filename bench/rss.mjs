// Peak resident memory of a process from /proc/<pid>/status: VmHWM is the kernel's own high-water mark, so
// it misses no short peak between samples; sampling VmRSS as well shows the memory held at the end.
import { readFileSync } from 'node:fs';
import { clearInterval, setInterval } from 'node:timers';

function statusKb(pid, field) {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // the process has exited, or this is not Linux
  }
}

export function watchMemory(pid, everyMs = 250) {
  let peakKb = 0;
  let lastRssKb = 0;
  const sample = () => {
    peakKb = Math.max(peakKb, statusKb(pid, 'VmHWM') ?? 0, statusKb(pid, 'VmRSS') ?? 0);
    lastRssKb = statusKb(pid, 'VmRSS') ?? lastRssKb;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    /** MB, read now (call it before the process stops) */
    peakMb() {
      sample();
      return peakKb / 1024;
    },
    rssMb() {
      sample();
      return lastRssKb / 1024;
    },
    stop() {
      clearInterval(timer);
    },
  };
}
