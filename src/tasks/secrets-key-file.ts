// The secrets key kept in a file (DATA_DIR/session.key — its name from when it sealed saved logins
// only —, embedded database only): created once (readOrCreateSecret: atomic, the first process
// wins), and never replaced — a key that cannot be read or is malformed stops startup, since a new
// key would make every saved login and proxy unreadable.
import { randomBytes } from 'node:crypto';
import { readOrCreateSecret } from '../db/embedded.ts';

export class SecretsKeyError extends Error {
  override name = 'SecretsKeyError';
}

const KEY_HEX = /^[0-9a-f]{64}$/i;

/** Reads the key, or creates it when the file does not exist. `created`: this call wrote it. */
export async function readOrCreateSecretsKey(file: string): Promise<{ key: Buffer; created: boolean }> {
  let made: string | undefined;
  let text: string;
  try {
    text = await readOrCreateSecret(file, () => {
      made = randomBytes(32).toString('hex');
      return made;
    });
  } catch (err) {
    // An empty file is a malformed key; anything else (permissions, a directory) cannot be read.
    if (!(err as NodeJS.ErrnoException).code) throw malformed(file);
    throw new SecretsKeyError(
      `Cannot read ${file}: ${describe(err)}. Fix its permissions; it is not replaced.`,
      { cause: err },
    );
  }
  if (!KEY_HEX.test(text)) throw malformed(file);
  // Another process starting on the same DATA_DIR may have written it first: then it is theirs.
  return { key: Buffer.from(text, 'hex'), created: text === made };
}

function malformed(file: string): SecretsKeyError {
  return new SecretsKeyError(
    `${file} does not hold a secrets key (64 hex characters, 32 bytes); it is not replaced, ` +
      'because saved logins and proxies need the key they were encrypted with. Restore it from a backup, or remove it to start over.',
  );
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}
