// Errors made safe to write down: what pino logs under `err`, what pg-boss stores as a failed job's
// output, and the reason a run keeps. Type, message, code and the cause chain survive; a query's
// parameters and text, Postgres' row details (`detail`, `where`…) and any other field never do:
// they carry encrypted saved logins, screenshots, cookies and proxy passwords.

/** The fields worth keeping, none of which can hold a value from a row or a request. */
const KEPT_FIELDS = [
  'code',
  'errno',
  'severity',
  'routine',
  'schema_name',
  'table_name',
  'column_name',
  'constraint_name',
  'data_type_name',
] as const;
const MAX_DEPTH = 5;

export type SafeError = {
  type: string;
  message: string;
  stack?: string;
  cause?: SafeError | string;
  [field: string]: unknown;
};

type ErrorLike = Error & Record<string, unknown>;

/** Credentials inside URLs (proxy and database URLs): keep the user, hide the password. */
export function scrubUrlCredentials(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"]+:)[^@\s"]+@/gi, '$1[redacted]@');
}

/** One error's message without parameter values (the cause chain is not followed). */
export function safeMessage(err: unknown): string {
  if (!(err instanceof Error)) return scrubUrlCredentials(String(err));
  const e = err as ErrorLike;
  // drizzle's DrizzleQueryError: "Failed query: <sql>\nparams: <values>".
  if ('params' in e || e.message.startsWith('Failed query:')) return 'database query failed';
  if (isPostgresError(e)) return withoutLiterals(e);
  return scrubUrlCredentials(e.message);
}

/** The messages of an error and its causes, joined: for a run's failure reason shown to people. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < MAX_DEPTH; depth++) {
    const message = safeMessage(e);
    if (!parts.includes(message)) parts.push(message);
    e = e instanceof Error ? e.cause : undefined;
  }
  return parts.join(': ');
}

/** pino's `err` serializer. */
export function serializeError(err: unknown, depth = 0): SafeError {
  if (!(err instanceof Error)) return { type: typeof err, message: safeMessage(err) };
  const e = err as ErrorLike;
  const message = safeMessage(e);
  const out: SafeError = { type: e.name || e.constructor?.name || 'Error', message };
  for (const field of KEPT_FIELDS) {
    const value = e[field];
    if (typeof value === 'string' || typeof value === 'number') out[field] = value;
  }
  const method = (e.on as { method?: unknown } | undefined)?.method; // telegraf's TelegramError
  if (typeof method === 'string') out.method = method;
  if (typeof e.stack === 'string') out.stack = safeStack(e.stack, out.type, message);
  if (e.cause !== undefined && e.cause !== null) {
    out.cause =
      depth >= MAX_DEPTH
        ? '…'
        : e.cause instanceof Error
          ? serializeError(e.cause, depth + 1)
          : safeMessage(e.cause);
  }
  if (Array.isArray(e.errors) && depth < MAX_DEPTH)
    out.errors = e.errors.map((inner) => serializeError(inner, depth + 1));
  return out;
}

/**
 * An Error with only the safe fields, for what a job handler throws: pg-boss serialises every
 * enumerable field of the thrown error (and its causes) into the job's output.
 */
export function toSafeError(err: unknown, depth = 0): Error {
  const safe = serializeError(err);
  const out = new Error(safe.message) as ErrorLike;
  out.name = safe.type;
  for (const field of KEPT_FIELDS) if (safe[field] !== undefined) out[field] = safe[field];
  if (safe.stack) out.stack = safe.stack;
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause !== undefined && cause !== null)
    out.cause =
      depth >= MAX_DEPTH ? '…' : cause instanceof Error ? toSafeError(cause, depth + 1) : safeMessage(cause);
  return out;
}

/** Wraps a job handler so that whatever it throws is stored without secrets. */
export function withSafeErrors<A extends unknown[], R>(
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } catch (err) {
      throw toSafeError(err);
    }
  };
}

function isPostgresError(e: ErrorLike): boolean {
  return e.name === 'PostgresError' || (typeof e.severity === 'string' && typeof e.code === 'string');
}

/**
 * Postgres quotes values in its messages (`invalid input syntax for type integer: "…"`) as well
 * as names; a quoted part survives only when it is one of the names the error reports.
 */
function withoutLiterals(e: ErrorLike): string {
  const names = new Set(
    ['schema_name', 'table_name', 'column_name', 'constraint_name', 'data_type_name']
      .map((field) => e[field])
      .filter((v): v is string => typeof v === 'string'),
  );
  return e.message.replace(/"([^"]*)"/g, (quoted, inner: string) => (names.has(inner) ? quoted : '"…"'));
}

/** The stack's frames under a header rebuilt from the safe message (the original repeats it). */
function safeStack(stack: string, type: string, message: string): string {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => /^\s+at /.test(line));
  const frames = firstFrame === -1 ? [] : lines.slice(firstFrame);
  return [`${type}: ${message}`, ...frames].join('\n');
}
