// One JSON line per figure on stdout, so a run can be kept, diffed or piped into jq. `meets` compares the value
// with its target (at least, or at most); a figure that could not be measured says why in `skipped`.
export function printFigure({ figure, value, unit, target, atMost = false, ...details }) {
  const rounded = typeof value === 'number' ? Number(value.toFixed(value >= 100 ? 0 : 2)) : value;
  const line = { figure, value: rounded, unit };
  if (target !== undefined) {
    line.target = target;
    line.meets = atMost ? rounded <= target : rounded >= target;
  }
  console.log(JSON.stringify({ ...line, ...details }));
}

export function printSkipped(figure, reason) {
  console.log(JSON.stringify({ figure, skipped: reason }));
}

/** Progress and diagnostics go to stderr, so stdout holds only the figure lines. */
export function note(text) {
  process.stderr.write(`bench: ${text}\n`);
}
