// Secrets the database keeps — saved logins, proxy URLs, the inbox's updates — are sealed with
// AES-256-GCM under SESSION_ENCRYPTION_KEY, all in one layout (version byte, IV, tag, then the
// value's JSON), so that one rekey moves them all. Here, in src/db, because the repositories that
// write a proxy seal it themselves: no caller can store one in clear by forgetting to.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const HEADER = 29; // version 1 + IV 12 + tag 16

export class SecretUnreadableError extends Error {
  override name = 'SecretUnreadableError';
  /** `format`: not a blob of ours; `key`: sealed under another key (or tampered with). */
  readonly problem: 'format' | 'key';
  constructor(problem: 'format' | 'key', options?: ErrorOptions) {
    super(problem === 'format' ? 'not a sealed secret' : 'sealed under another key', options);
    this.problem = problem;
  }
}

export function sealSecret(key: Buffer, value: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), data]);
}

/** The sealed value; throws SecretUnreadableError. */
export function openSecret(key: Buffer, blob: Buffer): unknown {
  if (blob.length < HEADER || blob[0] !== VERSION) throw new SecretUnreadableError('format');
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
  decipher.setAuthTag(blob.subarray(13, HEADER));
  try {
    const text = Buffer.concat([decipher.update(blob.subarray(HEADER)), decipher.final()]).toString('utf8');
    return JSON.parse(text);
  } catch (cause) {
    throw new SecretUnreadableError('key', { cause });
  }
}

/** Whether the blob opens with this key. */
export function opensWith(key: Buffer, blob: Buffer): boolean {
  try {
    openSecret(key, blob);
    return true;
  } catch {
    return false;
  }
}
