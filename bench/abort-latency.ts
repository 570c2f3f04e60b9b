// How fast a warmup lets go of the browser, with real Chromium on the fixture site: from an abort
// to the host's withContext rejecting with the context closed (a run that ignores the signal), from
// an abort to the engine returning cancelled while it watches, and how far past a 2 s session cap a run
// ends. The tests guard these behaviours with generous bounds; the numbers themselves live here.
// Run: npm run bench -- abort-latency   (prints a markdown table for docs/benchmarks.md)
import { cpus, totalmem } from 'node:os';
import type { BrowserContext } from 'playwright-core';
import { type BrowserHost, createBrowserHost } from '../src/warmup/browser.ts';
import { defaultBrowserSearch, findBrowserExecutable } from '../src/warmup/browser-executable.ts';
import { runWarmup, type WarmupOutcome } from '../src/warmup/engine.ts';
import { createRandom } from '../src/warmup/random.ts';
import { type FixtureSite, startFixtureSite } from '../test/support/fixture-site.ts';
import { quickSettings, range } from '../test/support/quick-settings.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 10);
const print = (line = '') => process.stdout.write(`${line}\n`);

/** Aborts a run that never settles once its page is open; ms from abort to the rejection. */
async function hostAbort(host: BrowserHost, site: FixtureSite, account: string): Promise<number> {
  const controller = new AbortController();
  let context: BrowserContext | undefined;
  const running = host.withContext(
    { signal: controller.signal, storageState: site.storageStateFor(account) },
    async (opened) => {
      context = opened;
      const page = await opened.newPage();
      await page.goto(site.profile.startUrl);
      await new Promise(() => {});
    },
  );
  await site.stats.waitFor(() => site.stats.openSessions(account) === 1, 30_000, 'the page');
  const closed = new Promise<void>((resolve) => context?.once('close', () => resolve()));
  const abortedAt = performance.now();
  controller.abort();
  await running.catch(() => {});
  await closed;
  return performance.now() - abortedAt;
}

/** Runs the engine in a fresh context of the host, as a session does. */
function runEngine(
  host: BrowserHost,
  site: FixtureSite,
  account: string,
  settings: ReturnType<typeof quickSettings>,
  signal: AbortSignal,
  onProgress?: (counters: { itemsViewed: number }) => void,
): Promise<WarmupOutcome> {
  return host.withContext(
    { signal: new AbortController().signal, storageState: site.storageStateFor(account) },
    (context) =>
      runWarmup({
        context,
        profile: site.profile,
        settings,
        random: createRandom(1),
        signal,
        log: () => {},
        onProgress,
      }),
  );
}

/** Aborts a session half a second into its second 30 s video; ms from abort to the engine's outcome. */
async function engineAbort(host: BrowserHost, site: FixtureSite, account: string): Promise<number> {
  const controller = new AbortController();
  const settings = quickSettings({ videos: range(50), watchSeconds: range(1, 30) });
  let firstWatched: () => void = () => {};
  const watched = new Promise<void>((resolve) => {
    firstWatched = resolve;
  });
  const running = runEngine(host, site, account, settings, controller.signal, (counters) => {
    if (counters.itemsViewed >= 1) firstWatched();
  });
  await watched;
  await new Promise((resolve) => setTimeout(resolve, 500));
  const abortedAt = performance.now();
  controller.abort();
  const outcome = await running;
  if (outcome.status !== 'failed' || outcome.reason !== 'cancelled') throw new Error('not cancelled');
  return performance.now() - abortedAt;
}

/** A 2 s cap over 100 videos of 1 s; ms past the cap until the run (context included) ended. */
async function capOvershoot(host: BrowserHost, site: FixtureSite, account: string): Promise<number> {
  const settings = quickSettings({
    videos: range(100),
    watchSeconds: range(1),
    likes: range(0, 100),
    sessionCapSeconds: 2,
  });
  const started = performance.now();
  const outcome = await runEngine(host, site, account, settings, new AbortController().signal);
  if (outcome.status !== 'completed' || !outcome.cappedByTime) throw new Error('not capped');
  return performance.now() - started - 2000;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const fmt = (ms: number) => String(Math.round(ms));
  return `${fmt(at(0.5))} | ${fmt(at(0.95))} | ${fmt(sorted.at(-1)!)}`;
}

const site = await startFixtureSite();
const { path: executablePath } = await findBrowserExecutable(defaultBrowserSearch(process.env));
const host = createBrowserHost({ executablePath, headless: true, log: { info() {}, warn() {} } });
try {
  const rows: [string, number[]][] = [
    ['host: abort → withContext rejected, context closed', []],
    ['engine: abort while watching → outcome cancelled', []],
    ['engine: run end past a 2 s session cap', []],
  ];
  await hostAbort(host, site, 'warm'); // the browser's first launch is not what is measured
  for (let i = 0; i < ROUNDS; i++) {
    rows[0]![1].push(await hostAbort(host, site, `host${i}`));
    rows[1]![1].push(await engineAbort(host, site, `engine${i}`));
    rows[2]![1].push(await capOvershoot(host, site, `cap${i}`));
  }
  print(
    `${ROUNDS} rounds; ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; ${executablePath}\n`,
  );
  print('| what | p50 (ms) | p95 (ms) | max (ms) |\n|---|---|---|---|');
  for (const [what, samples] of rows) print(`| ${what} | ${summary(samples)} |`);
} finally {
  await host.close();
  await site.close();
}
