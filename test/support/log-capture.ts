// The product's own logger (createLogger: redaction, secret scrubbing, the safe error serializer)
// writing JSON lines into memory, for tests that read what was logged — and first check that the
// lines they judge were written at all.
import { PassThrough } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.ts';

export type CapturedLog = {
  log: Logger;
  /** Everything written so far, as written. */
  text(): string;
  /** Every line written so far, parsed. */
  lines(): Record<string, unknown>[];
};

export function captureLog(options: { level?: string; secrets?: string[] } = {}): CapturedLog {
  const chunks: string[] = [];
  const destination = new PassThrough().on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  const log = createLogger({
    level: options.level ?? 'trace',
    format: 'json',
    destination,
    ...(options.secrets ? { secrets: options.secrets } : {}),
  });
  const text = () => chunks.join('');
  return {
    log,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
