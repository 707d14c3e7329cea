// Reads a V8 .cpuprofile (node --cpu-prof, or the dispatch bench's BENCH_CPU_PROF) and prints where the time
// went: self time by function and by package/file, and total time under chosen functions.
//   node apps/server/bench/profile-top.mjs <file.cpuprofile> [top=25] [--since <function name>]
// `--since send`: only the samples from the first one under a function of that name on (a service's profile
// then leaves out its start-up: module loading, migrations, the OpenAPI document).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { since: { type: 'string' } },
});
const [file, topArg] = positionals;
if (!file) throw new Error('usage: profile-top.mjs <file.cpuprofile> [top] [--since <function name>]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const under = (id, name) => {
  for (let at = id; at !== undefined; at = parent.get(at))
    if (nodes.get(at).callFrame.functionName === name) return true;
  return false;
};
const first = values.since === undefined ? 0 : profile.samples.findIndex((id) => under(id, values.since));
if (first < 0) throw new Error(`no sample under a function named ${values.since}`);
const selfUs = new Map();
profile.samples.forEach((id, i) => {
  if (i >= first) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (cf) => {
  const url = cf.url || '';
  const pkg = url.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return url;
  const own = url.match(/(apps\/[^/]+\/(?:dist|src)\/.*|packages\/[^/]+\/(?:dist|src)\/.*)$/);
  return own ? own[1] : url || '(native)';
};
const label = (cf) => `${cf.functionName || '(anonymous)'} ${where(cf)}:${cf.lineNumber + 1}`;

const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
const byFunction = new Map();
const byPlace = new Map();
const inclusive = new Map();
for (const [id, us] of selfUs) {
  const cf = nodes.get(id).callFrame;
  add(byFunction, label(cf), us);
  add(byPlace, where(cf).replace(/:\d+$/, ''), us);
  // inclusive time per own-code function (each function counted once per stack)
  const seen = new Set();
  for (let at = id; at !== undefined; at = parent.get(at)) {
    const f = nodes.get(at).callFrame;
    if (!/apps\/|packages\//.test(f.url) || /node_modules/.test(f.url)) continue;
    const key = label(f);
    if (seen.has(key)) continue;
    seen.add(key);
    add(inclusive, key, us);
  }
}
const print = (title, map) => {
  console.log(`\n## ${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(
      `${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
};
console.log(
  `${file}: ${(totalUs / 1000).toFixed(0)} ms sampled${values.since ? ` from the first sample under ${values.since}` : ''}`,
);
print('self time by function', byFunction);
print('self time by package / file', byPlace);
print('total time under own functions (dist/src of this repo)', inclusive);
