/**
 * Which daily partitions of `messages` should exist and which have passed the retention. Pure: the time is a
 * parameter. A partition holds one UTC day, [start, end), and is named `messages_pYYYYMMDD` after it.
 */
export interface PartitionDay {
  name: string;
  start: Date;
  end: Date;
}

export interface PartitionPlan {
  /** today and the days ahead that have no partition yet */
  create: PartitionDay[];
  /** partitions whose whole day is older than the retention, oldest first */
  expired: PartitionDay[];
}

const DAY_MS = 86_400_000;
const NAME = /^messages_p(\d{4})(\d{2})(\d{2})$/;

export function partitionDay(time: Date): PartitionDay {
  const start = new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
  const name = `messages_p${start.toISOString().slice(0, 10).replace(/-/g, '')}`;
  return { name, start, end: new Date(start.getTime() + DAY_MS) };
}

/** The day a partition name stands for, or null for a table that is not one of ours (e.g. the DEFAULT). */
export function parsePartitionName(name: string): PartitionDay | null {
  const match = NAME.exec(name);
  if (!match) return null;
  const [, year, month, day] = match;
  const start = new Date(`${year}-${month}-${day}T00:00:00Z`);
  if (Number.isNaN(start.getTime())) return null;
  const parsed = partitionDay(start);
  return parsed.name === name ? parsed : null;
}

/** The instant before which rows are past the retention. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export function planPartitions(options: {
  now: Date;
  retentionDays: number;
  daysAhead: number;
  existing: readonly string[];
}): PartitionPlan {
  const existing = new Set(options.existing);
  const today = partitionDay(options.now);
  const create: PartitionDay[] = [];
  for (let offset = 0; offset <= options.daysAhead; offset += 1) {
    const day = partitionDay(new Date(today.start.getTime() + offset * DAY_MS));
    if (!existing.has(day.name)) create.push(day);
  }
  const cutoff = retentionCutoff(options.now, options.retentionDays);
  const expired = options.existing
    .map(parsePartitionName)
    .filter((day): day is PartitionDay => day !== null && day.end.getTime() <= cutoff.getTime())
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  return { create, expired };
}
