// The process logger (pino): structured JSON, or pretty lines in a terminal. Secrets never reach
// the output: known secret values are scrubbed from every line, and secret-shaped fields redacted.
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

const REDACT_PATHS = [
  'token',
  'password',
  'cookies',
  'storageState',
  'sessionKey',
  'proxy.password',
  'headers.authorization',
  '*.token',
  '*.password',
  '*.cookies',
  '*.storageState',
  '*.sessionKey',
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
      serializers: { err: pino.stdSerializers.err },
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
  // Credentials inside URLs (proxy and database URLs): keep the user, hide the password.
  return out.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"]+:)[^@\s"]+@/gi, '$1[redacted]@');
}
