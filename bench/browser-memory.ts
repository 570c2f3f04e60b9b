// Resident memory of the browser process tree with 1, 2 and 4 concurrent warmup sessions on the
// fixture site: RSS and PSS summed over every process below this one, read from /proc.
// Run: npx node bench/browser-memory.ts   (prints a markdown table for docs/benchmarks.md)
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { createBrowserHost } from '../src/warmup/browser.ts';
import { defaultBrowserSearch, findBrowserExecutable } from '../src/warmup/browser-executable.ts';
import { runWarmup, type WarmupOutcome } from '../src/warmup/engine.ts';
import { createRandom } from '../src/warmup/random.ts';
import { startFixtureSite } from '../test/support/fixture-site.ts';
import { quickSettings, range } from '../test/support/quick-settings.ts';

const SAMPLE_SECONDS = 10;
const MiB = 1024 * 1024;

type Usage = { processes: number; rss: number; pss: number };

/** Sums RSS and PSS (bytes) over all descendants of this process. */
function treeUsage(): Usage {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {} // the process exited meanwhile
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p))
      if (p === process.pid) return true;
    return false;
  };
  const usage: Usage = { processes: 0, rss: 0, pss: 0 };
  for (const pid of parents.keys()) {
    if (!isDescendant(pid)) continue;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      usage.rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      usage.pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      usage.processes++;
    } catch {}
  }
  return usage;
}

async function sample(seconds: number): Promise<{ peak: Usage; mean: Usage }> {
  const samples: Usage[] = [];
  for (let i = 0; i < seconds * 2; i++) {
    samples.push(treeUsage());
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a));
  const avg = (key: keyof Usage) => samples.reduce((sum, s) => sum + s[key], 0) / samples.length;
  return { peak, mean: { processes: avg('processes'), rss: avg('rss'), pss: avg('pss') } };
}

const site = await startFixtureSite();
const { path: executablePath } = await findBrowserExecutable(defaultBrowserSearch(process.env));
const host = createBrowserHost({ executablePath, headless: true, log: { info() {}, warn() {} } });
const settings = quickSettings({ videos: range(500), watchSeconds: range(1, 2) });

const rows: string[] = [];
const row = (label: string, s: { peak: Usage; mean: Usage }) =>
  rows.push(
    `| ${label} | ${s.peak.processes} | ${(s.mean.rss / MiB).toFixed(0)} | ${(s.peak.rss / MiB).toFixed(0)} | ` +
      `${(s.mean.pss / MiB).toFixed(0)} | ${(s.peak.pss / MiB).toFixed(0)} |`,
  );

// The browser alone, after one context has come and gone.
await host.withContext({ signal: new AbortController().signal }, async () => {});
row('browser, no session', await sample(3));

for (const sessions of [1, 2, 4]) {
  const controller = new AbortController();
  const accounts = Array.from({ length: sessions }, (_, i) => `bench-${sessions}-${i}`);
  const runs: Array<Promise<WarmupOutcome>> = accounts.map((account, i) =>
    host.withContext(
      { signal: new AbortController().signal, storageState: site.storageStateFor(account) },
      (context) =>
        runWarmup({
          context,
          profile: site.profile,
          settings,
          random: createRandom(i + 1),
          signal: controller.signal,
        }),
    ),
  );
  await site.stats.waitFor(
    () => accounts.every((a) => site.stats.openSessions(a) === 1 && site.stats.account(a).views.length >= 2),
    30_000,
    `${sessions} sessions watching`,
  );
  row(`${sessions} session${sessions > 1 ? 's' : ''}`, await sample(SAMPLE_SECONDS));
  controller.abort();
  await Promise.all(runs);
  await site.stats.waitFor(() => site.stats.openTotal() === 0, 10_000, 'all sessions closed');
}

const chromiumVersion = execFileSync(executablePath, ['--version'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).trim();
const print = (line = '') => process.stdout.write(`${line}\n`);
print(`machine: ${cpus().length} cores, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB; node ${process.version}`);
print(
  `browser: ${chromiumVersion} (${executablePath}); max sessions open at once: ${site.stats.maxConcurrentTotal}`,
);
print(`sampled every 0.5 s for ${SAMPLE_SECONDS} s while the sessions watch items`);
print();
print('| sessions | processes | RSS mean (MiB) | RSS peak (MiB) | PSS mean (MiB) | PSS peak (MiB) |');
print('|---|---|---|---|---|---|');
for (const line of rows) print(line);

await host.close();
await site.close();
