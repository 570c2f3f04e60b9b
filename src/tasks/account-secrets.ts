// What a browser needs of an account's secrets, opened with the secrets key just before it opens:
// the saved login (storage state) and the proxy URL. A secret that cannot be opened ends the
// session or check before any browser starts, saying which one, never with its content.
import { openProxy } from '../db/account-proxy.ts';
import { describeError } from '../safe-error.ts';
import { openLogin } from './login-cipher.ts';

export type SealedAccount = {
  loginEncrypted: Buffer | null;
  proxyEncrypted: Buffer | null;
  proxyUrl: string | null;
};

export type OpenedSecrets =
  | { ok: true; storageState: unknown; proxyUrl: string | null }
  | { ok: false; code: 'session_unreadable' | 'bad_settings'; message: string };

export function openAccountSecrets(account: SealedAccount, key: Buffer | undefined): OpenedSecrets {
  let storageState: unknown;
  try {
    if (account.loginEncrypted && !key)
      throw new Error('SESSION_ENCRYPTION_KEY is not set, so the saved session cannot be read');
    if (account.loginEncrypted && key) storageState = openLogin(key, account.loginEncrypted);
  } catch (err) {
    return { ok: false, code: 'session_unreadable', message: describeError(err) };
  }
  try {
    return { ok: true, storageState, proxyUrl: openProxy(account, key) };
  } catch (err) {
    return { ok: false, code: 'bad_settings', message: describeError(err) };
  }
}
