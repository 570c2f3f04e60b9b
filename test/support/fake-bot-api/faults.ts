// Failures on demand — the next N calls of a method, or every call (optionally of some methods)
// until a deadline or recover() — and how a failure, injected or thrown by a method, becomes the
// HTTP answer Telegram would give.
import { STATUS_CODES } from 'node:http';
import { ApiError, type ApiResponse, type FailureSpec } from './types.ts';

/** `untilMs`: a Date.now() deadline; `forMs`: a duration from now; neither: until recover(). */
/** `methods`/`chats`: only calls of these methods / to these chat ids fail. */
export type Outage = FailureSpec & { untilMs?: number; forMs?: number; methods?: string[]; chats?: number[] };

/** HTTP status 0 means: destroy the socket instead of answering. */
export type Outcome = { status: number; response?: ApiResponse };

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict',
};

export function createFaults() {
  const queued = new Map<string, FailureSpec[]>();
  let outage: (Outage & { until: number | undefined }) | undefined;
  const stalled = new Set<() => void>();
  const releaseStalled = () => {
    for (const release of stalled) release();
    stalled.clear();
  };

  return {
    releaseStalled,
    failNext(method: string, spec: FailureSpec, times = 1): void {
      queued.set(method, [...(queued.get(method) ?? []), ...Array.from({ length: times }, () => spec)]);
    },
    failAll(spec: Outage = {}): void {
      const until = spec.untilMs ?? (spec.forMs === undefined ? undefined : Date.now() + spec.forMs);
      outage = { status: 502, ...spec, until };
    },
    /** Ends the faults; stalled requests are cut (the client sees a network error). */
    recover(): void {
      outage = undefined;
      queued.clear();
      releaseStalled();
    },
    /** The failure this call gets, if one is due; a stall is held until `signal` (the client left). */
    next(method: string, chatId?: unknown, signal?: AbortSignal): Outcome | Promise<Outcome> | undefined {
      if (outage?.until !== undefined && Date.now() >= outage.until) outage = undefined;
      const hit =
        outage &&
        (!outage.methods || outage.methods.includes(method)) &&
        (!outage.chats || outage.chats.includes(chatId as number));
      const spec = queued.get(method)?.shift() ?? (hit ? outage : undefined);
      if (spec?.stall) {
        return new Promise<Outcome>((resolve) => {
          const release = () => {
            stalled.delete(release);
            resolve({ status: 0 });
          };
          stalled.add(release);
          signal?.addEventListener('abort', release, { once: true });
        });
      }
      return spec && injected(spec);
    },
  };
}

export const succeeded = (result: unknown): Outcome => ({ status: 200, response: { ok: true, result } });

export function failure(status: number, description: string, retryAfter?: number): Outcome {
  const parameters = retryAfter === undefined ? {} : { parameters: { retry_after: retryAfter } };
  return { status, response: { ok: false, error_code: status, description, ...parameters } };
}

/** An ApiError becomes Telegram's error answer; anything else is a bug in the fake and is rethrown. */
export function asFailure(error: unknown): Outcome {
  if (error instanceof ApiError) return failure(error.status, error.message);
  throw error;
}

function injected(spec: FailureSpec): Outcome {
  if (spec.reset) return { status: 0 };
  const status = spec.status ?? 500;
  const retryAfter = status === 429 ? (spec.retryAfter ?? 1) : spec.retryAfter;
  const fallback =
    status === 429
      ? `Too Many Requests: retry after ${retryAfter}`
      : (DESCRIPTIONS[status] ?? STATUS_CODES[status] ?? 'Error');
  return failure(status, spec.description ?? fallback, retryAfter);
}
