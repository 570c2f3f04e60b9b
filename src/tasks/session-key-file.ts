// The session key kept in a file (DATA_DIR/session.key, embedded database only): created once and
// exclusively, re-read if another process created it first, and never replaced — a key that cannot
// be read or is malformed stops startup, since a new key would make every saved session unreadable.
import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';

export class SessionKeyError extends Error {
  override name = 'SessionKeyError';
}

const KEY_HEX = /^[0-9a-f]{64}$/i;

/** Reads the key, or creates it when the file does not exist. `created`: this call wrote it. */
export async function readOrCreateSessionKey(file: string): Promise<{ key: Buffer; created: boolean }> {
  const existing = await readKey(file);
  if (existing) return { key: existing, created: false };
  const key = randomBytes(32);
  // Written whole under a name of our own (exclusively), then linked into place: link() fails with
  // EEXIST if the file exists, and no other process ever sees a half-written key.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(draft, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    await link(draft, file);
    return { key, created: true };
  } catch (err) {
    // Another process starting on the same DATA_DIR wrote it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const theirs = await readKey(file);
      if (theirs) return { key: theirs, created: false };
    }
    throw new SessionKeyError(`Cannot create ${file}: ${describe(err)}.`, { cause: err });
  } finally {
    await rm(draft, { force: true });
  }
}

/** The key in the file; undefined only when the file does not exist. */
async function readKey(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SessionKeyError(
      `Cannot read ${file}: ${describe(err)}. Fix its permissions; it is not replaced.`,
      {
        cause: err,
      },
    );
  }
  const hex = text.trim();
  if (!KEY_HEX.test(hex)) {
    throw new SessionKeyError(
      `${file} does not hold a session key (64 hex characters, 32 bytes); it is not replaced, ` +
        'because saved sessions need the key they were encrypted with. Restore it from a backup, or remove it to start over.',
    );
  }
  return Buffer.from(hex, 'hex');
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}
