// `node src/main.ts` as a child process with JSON logs: wait for a log line, read the bound HTTP
// address, signal it and collect its exit. Killed at the end of the test file if still running.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type FixtureSite, startFixtureSite } from './fixture-site.ts';

export const MAIN = path.resolve(import.meta.dirname, '../../src/main.ts');
const running = new Set<ChildProcess>();
afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * For tests that kill a worker mid-session and wait for another to take the session up: the
 * shortest heartbeat pg-boss accepts, the shortest lease, and a 1 s first retry, so the wait after
 * the kill is about 10 s instead of about 45 s. Real settings (README's configuration table); give
 * them to every process and test boss sharing the queue — the last to start sets the queue's.
 */
export const QUICK_RECOVERY = {
  WORKER_HEARTBEAT_SECONDS: '10',
  ACCOUNT_LEASE_SECONDS: '10',
  SESSION_RETRY_DELAY_SECONDS: '1',
} as const;

export type SiteForMain = { site: FixtureSite; dir: string; profilePath: string };

/**
 * The fixture site for the file's main.ts processes: started before its tests, its site profile
 * written into a temp dir (WARMUP_SITE_PROFILE=profilePath), both gone after them.
 */
export function useSiteForMain(prefix: string): () => SiteForMain {
  let current: SiteForMain | undefined;
  beforeAll(async () => {
    const site = await startFixtureSite();
    const dir = await mkdtemp(path.join(tmpdir(), `warmup-${prefix}-`));
    const profilePath = path.join(dir, 'profile.json');
    await writeFile(profilePath, JSON.stringify(site.profile));
    current = { site, dir, profilePath };
  });
  afterAll(async () => {
    await current?.site.close();
    if (current) await rm(current.dir, { recursive: true, force: true });
  });
  return () => {
    if (!current) throw new Error('useSiteForMain: used outside the tests of its file');
    return current;
  };
}

/**
 * The environment of a main.ts process in these tests: its role, the file's database, the key its
 * saved logins are encrypted with, the fixture site's profile and the fake Bot API when it has them,
 * one session at a time, info logs; `extra` last.
 */
export function mainEnv(
  role: 'all' | 'bot' | 'worker',
  parts: {
    databaseUrl: string;
    key: Buffer;
    profilePath?: string;
    fake?: { token: string; apiRoot: string };
  },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ROLE: role,
    DATABASE_URL: parts.databaseUrl,
    SESSION_ENCRYPTION_KEY: parts.key.toString('hex'),
    ...(parts.profilePath ? { WARMUP_SITE_PROFILE: parts.profilePath } : {}),
    ...(parts.fake ? { TELEGRAM_BOT_TOKEN: parts.fake.token, TELEGRAM_API_ROOT: parts.fake.apiRoot } : {}),
    WORKER_CONCURRENCY: '1',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

export type MainProcess = {
  child: ChildProcess;
  output(): string;
  /** What it wrote to stderr alone (the one-line startup errors go there). */
  stderrText(): string;
  /** Resolves with the first log line whose msg matches; rejects when the process exits first. */
  waitForLog(msg: RegExp, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** The exit code (or signal name), once it exited. */
  exited: Promise<number | string>;
  /** The ops endpoint's base URL, from the "http listening" line. */
  httpUrl(): Promise<string>;
};

export type Exit = { code: number | null; stdout: string; stderr: string };

/**
 * A script of ours (scripts/…, or src/main.ts) run to its end as a child process, with only PATH
 * of this process's environment; resolves with its exit code and what it wrote.
 */
export function runToExit(script: string, env: Record<string, string>, cwd: string): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export function startMain(env: Record<string, string>): MainProcess {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  let stderr = '';
  const lines: Record<string, unknown>[] = [];
  const listeners = new Set<() => void>();
  child.stderr?.on('data', (chunk) => {
    output += chunk;
    stderr += chunk;
  });
  let partial = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      try {
        lines.push(JSON.parse(line));
      } catch {}
    }
    for (const listener of listeners) listener();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
      for (const listener of listeners) listener();
    }),
  );

  const waitForLog = (msg: RegExp, timeoutMs = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = lines.find((l) => msg.test(String(l.msg)));
        if (found || child.exitCode !== null || child.signalCode !== null) {
          listeners.delete(check);
          clearTimeout(timer);
          if (found) resolve(found);
          else reject(new Error(`main exited before logging ${msg}:\n${output.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`main did not log ${msg} within ${timeoutMs} ms:\n${output.slice(-3000)}`));
      }, timeoutMs);
      listeners.add(check);
      check();
    });

  return {
    child,
    output: () => output,
    stderrText: () => stderr,
    waitForLog,
    exited,
    httpUrl: async () => String((await waitForLog(/^http listening$/)).url),
  };
}
