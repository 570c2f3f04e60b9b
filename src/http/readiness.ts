// Readiness: named checks run together, each bounded by a timeout; the process is ready when every
// one passes. A costly check (launching a browser) may keep its last answer for a while.
export type CheckResult = { ok: boolean; ms: number; error?: string; details?: unknown };
export type ReadinessReport = { ready: boolean; checks: Record<string, CheckResult> };

export type CheckOptions = {
  timeoutMs?: number;
  cacheMs?: number;
  /** Shown with the result, passing or not (what an operator should know about this part). */
  details?: () => unknown;
};

export type Readiness = {
  add(name: string, check: () => unknown, options?: CheckOptions): void;
  run(): Promise<ReadinessReport>;
};

const DEFAULT_TIMEOUT_MS = 2000;

export function createReadiness(): Readiness {
  const checks = new Map<string, () => Promise<CheckResult>>();
  return {
    add(name, check, options = {}) {
      const timed = async () => {
        const result = await runWithin(check, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
        const details = options.details?.();
        return details === undefined ? result : { ...result, details };
      };
      checks.set(name, options.cacheMs ? cached(timed, options.cacheMs) : timed);
    },
    async run() {
      const entries = await Promise.all(
        [...checks].map(async ([name, check]) => [name, await check()] as const),
      );
      return { ready: entries.every(([, r]) => r.ok), checks: Object.fromEntries(entries) };
    },
  };
}

async function runWithin(check: () => unknown, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    await within(Promise.resolve().then(check), timeoutMs);
    return { ok: true, ms: ms() };
  } catch (err) {
    return { ok: false, ms: ms(), error: err instanceof Error ? err.message.split('\n')[0] : String(err) };
  }
}

/** Settles like `promise`, or rejects once `ms` have passed without an answer. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The last answer while it is younger than ttlMs; callers arriving meanwhile share one run. */
function cached(check: () => Promise<CheckResult>, ttlMs: number): () => Promise<CheckResult> {
  let last: { at: number; result: Promise<CheckResult> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > ttlMs) last = { at: Date.now(), result: check() };
    return last.result;
  };
}
