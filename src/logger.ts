// The process logger (pino): structured JSON, or pretty lines in a terminal. Secrets never reach
// the output: known secret values are scrubbed from every line, secret-shaped fields redacted, and
// errors written by the safe serializer (no query parameters, no row details).
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { scrubUrlCredentials, serializeError } from './safe-error.ts';

export type { Logger };

const REDACT_PATHS = [
  'token',
  'password',
  'cookies',
  'storageState',
  'secretsKey',
  'proxy.password',
  'headers.authorization',
  '*.token',
  '*.password',
  '*.cookies',
  '*.storageState',
  '*.secretsKey',
  '*.proxy.password',
  '*.headers.authorization',
];

export type LoggerOptions = {
  level: string;
  format: 'auto' | 'json' | 'pretty';
  /** Literal secret values (bot token, encryption key…) scrubbed from every written line. */
  secrets?: ReadonlyArray<string | undefined>;
  destination?: NodeJS.WritableStream;
};

export function createLogger(options: LoggerOptions): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const destination = options.destination ?? process.stdout;
  const usePretty =
    options.format === 'pretty' ||
    (options.format === 'auto' && (destination as NodeJS.WriteStream).isTTY === true);
  const stream = usePretty
    ? pretty({
        destination,
        colorize: true,
        sync: true,
        translateTime: 'SYS:HH:MM:ss.l',
        ignore: 'pid,hostname',
      })
    : destination;
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      serializers: { err: serializeError, error: serializeError },
      hooks: {
        streamWrite: (line) => scrubSecrets(line, secrets),
      },
    },
    stream,
  );
}

export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, '[redacted]');
  return scrubUrlCredentials(out);
}
