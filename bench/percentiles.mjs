/** Nearest-rank percentile (p in 0..100) of a list of numbers. */
export function percentile(values, p) {
  return sortedPercentile(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/** Nearest-rank percentile (p in 0..100) of numbers already sorted ascending. */
export function sortedPercentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}
