// The compose page's budgets, printed (not asserted: figures on a shared machine are noisy):
//   interactive: navigation start → the counter can count (the rules chunk answered: the
//     `munja:compose-interactive` mark), with the HTTP cache off (cold) and on (warm), median of N loads;
//     and the main thread's work in that load (Chrome's ScriptDuration + LayoutDuration + RecalcStyleDuration);
//   keystroke: in a 2,000-byte text, keydown → the first task after the frame that shows the text and its
//     counter, median / p90 / max of K keys; and the JavaScript time per key from Chrome's sampling profiler
//     (idle and native time left out): the figure that moves least with the machine's load.
// The real service (built, PGlite in memory) serves the built console; Debian's chromium, headless.
// Usage: pnpm --filter @munja/console bench [-- --loads 15 --keys 60]
import { cpus, loadavg } from 'node:os';
import type { CDPSession, Page } from 'playwright-core';
import { launchBrowser } from '../e2e/support/browser';
import { startService } from '../e2e/support/service';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const LOADS = option('loads', 15);
const KEYS = option('keys', 60);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;
const figures = (all: number[]) => {
  // a load whose paint entry was not yet reported has no first-contentful-paint: counted apart
  const values = all.filter(Number.isFinite);
  const missing = all.length - values.length;
  return `median ${ms(quantile(values, 0.5))}, p90 ${ms(quantile(values, 0.9))}, max ${ms(Math.max(...values))} (n=${values.length}${missing ? `, ${missing} without` : ''})`;
};
const load = () =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${cpus().length} cores`;

type Cdp = CDPSession;

/** Seconds of main-thread work so far: script, layout, style. */
async function mainThreadSeconds(cdp: Cdp): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
  return value('ScriptDuration') + value('LayoutDuration') + value('RecalcStyleDuration');
}

async function interactive(
  page: Page,
  cdp: Cdp,
  url: string,
): Promise<{ interactive: number; fcp: number; work: number }> {
  // from another document: going to the same URL again would only move to its hash, not load the page
  await page.goto('about:blank');
  const before = await mainThreadSeconds(cdp);
  await page.goto(url);
  await page.getByTestId('byte-count').waitFor();
  const work = ((await mainThreadSeconds(cdp)) - before) * 1000;
  return {
    ...(await page.evaluate(() => ({
      interactive: performance.getEntriesByName('munja:compose-interactive')[0]?.startTime ?? Number.NaN,
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    }))),
    work,
  };
}

/** Milliseconds the profile spent in JavaScript (and its garbage collection): not idle, not native work. */
function scriptMilliseconds(profile: {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples?: number[];
  timeDeltas?: number[];
}): number {
  const notScript = new Set(['(idle)', '(program)', '(root)']);
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  let microseconds = 0;
  (profile.samples ?? []).forEach((id, i) => {
    if (!notScript.has(names.get(id) ?? '')) microseconds += profile.timeDeltas?.[i] ?? 0;
  });
  return microseconds / 1000;
}

async function main() {
  console.log(`compose bench: ${load()} (start)`);
  const [service, browser] = await Promise.all([startService(), launchBrowser()]);
  try {
    const context = browser.context;
    await context.addInitScript((key) => {
      sessionStorage.setItem('munja.console.session', JSON.stringify({ role: 'project', key }));
    }, service.demoKey);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Performance.enable');
    const url = `${service.url}/console/#/compose`;
    await interactive(page, cdp, url); // the service's first answers (and the JIT) warm up

    for (const cache of ['cold', 'warm'] as const) {
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: cache === 'cold' });
      const samples: { interactive: number; fcp: number; work: number }[] = [];
      for (let i = 0; i < LOADS; i++) samples.push(await interactive(page, cdp, url));
      console.log(`compose interactive, ${cache} cache: ${figures(samples.map((s) => s.interactive))}`);
      console.log(`  first contentful paint, ${cache} cache: ${figures(samples.map((s) => s.fcp))}`);
      console.log(`  main-thread work of the load, ${cache} cache: ${figures(samples.map((s) => s.work))}`);
    }

    const content = page.getByRole('textbox', { name: '내용' });
    await content.fill('가나다라마바사아자차'.repeat(99) + 'ab');
    await page.getByTestId('byte-count').filter({ hasText: '1982 / 2000' }).waitFor();
    await content.press('End');
    await page.evaluate(() => {
      const w = window as unknown as { keystrokes: number[] };
      w.keystrokes = [];
      const area = document.querySelector('textarea[data-testid="content"]') as HTMLTextAreaElement;
      area.addEventListener('keydown', () => {
        const start = performance.now();
        requestAnimationFrame(() => setTimeout(() => w.keystrokes.push(performance.now() - start), 0));
      });
    });
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
    await cdp.send('Profiler.start');
    // one key every 60 ms: a fast typist, and room for each key's frame before the next
    await content.pressSequentially('x'.repeat(KEYS), { delay: 60 });
    await page.waitForFunction(
      (n) => (window as unknown as { keystrokes: number[] }).keystrokes.length >= n,
      KEYS,
    );
    const { profile } = await cdp.send('Profiler.stop');
    const scriptPerKey = scriptMilliseconds(profile) / KEYS;
    const times = await page.evaluate(() => (window as unknown as { keystrokes: number[] }).keystrokes);
    console.log(`keystroke in a 2,000-byte text (keydown → frame shown): ${figures(times)}`);
    console.log(`  JavaScript per key (sampling profiler, 0.1 ms): ${ms(scriptPerKey)}`);
    console.log(`compose bench: ${load()} (end)`);
  } finally {
    await browser.close();
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
