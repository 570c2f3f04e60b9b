// Saved browser sessions (Playwright storage state: cookies, local storage) are secrets: stored
// encrypted with AES-256-GCM under SESSION_ENCRYPTION_KEY. Layout: version byte, IV, tag, data.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;

export function encryptSession(key: Buffer, state: unknown): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), data]);
}

export function decryptSession(key: Buffer, blob: Buffer): unknown {
  if (blob.length < 29 || blob[0] !== VERSION) throw new Error('the saved session has an unknown format');
  const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(1, 13));
  decipher.setAuthTag(blob.subarray(13, 29));
  try {
    const text = Buffer.concat([decipher.update(blob.subarray(29)), decipher.final()]).toString('utf8');
    return JSON.parse(text);
  } catch (cause) {
    throw new Error('the saved session cannot be decrypted with this SESSION_ENCRYPTION_KEY', { cause });
  }
}
