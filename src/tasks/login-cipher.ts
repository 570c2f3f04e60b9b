// Saved logins (Playwright storage state: cookies, local storage) are secrets: stored
// sealed with AES-256-GCM under SESSION_ENCRYPTION_KEY (db/secret-box.ts, the one format of every
// secret at rest), with errors that say which secret could not be read.
import { openSecret, SecretUnreadableError, sealSecret } from '../db/secret-box.ts';

export function sealLogin(key: Buffer, state: unknown): Buffer {
  return sealSecret(key, state);
}

export function openLogin(key: Buffer, blob: Buffer): unknown {
  try {
    return openSecret(key, blob);
  } catch (cause) {
    if (cause instanceof SecretUnreadableError && cause.problem === 'format')
      throw new Error('the saved login has an unknown format');
    throw new Error('the saved login cannot be decrypted with this SESSION_ENCRYPTION_KEY', { cause });
  }
}
