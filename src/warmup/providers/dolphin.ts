// The Dolphin Anty adapter: its local API (by default http://127.0.0.1:3001) starts a profile for
// automation and answers with the DevTools port and path; the same API stops it. Errors are
// sorted into the provider reasons; the API token, when one is needed, never reaches a message.
import type { ProfileProvider, StartedProfile } from './provider.ts';
import { ProviderError } from './provider.ts';

const REQUEST_TIMEOUT_MS = 60_000;

export type DolphinOptions = {
  /** The local API's root, e.g. http://127.0.0.1:3001. */
  baseUrl: string;
  /** Logs the local API in with the team's token before the first start (POST auth/login-with-token). */
  token?: string;
  /** Where the started browser listens; the API answers with a port on this machine. */
  devtoolsHost?: string;
  log: { warn(obj: object, msg?: string): void };
};

type StartAnswer = {
  success?: boolean | number;
  error?: unknown;
  automation?: { port?: number; wsEndpoint?: string };
};

export function createDolphinProvider(options: DolphinOptions): ProfileProvider {
  const root = `${options.baseUrl.replace(/\/$/, '')}/v1.0`;
  let loggedIn = !options.token;

  async function call(
    path: string,
    init: RequestInit,
    signal?: AbortSignal,
  ): Promise<{ status: number; body: StartAnswer }> {
    const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
    let response: Response;
    try {
      response = await fetch(`${root}${path}`, {
        ...init,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      if (signal?.aborted) throw err;
      throw new ProviderError(
        'provider_unreachable',
        `Dolphin Anty's local API at ${options.baseUrl} does not answer`,
        {
          cause: err,
        },
      );
    }
    const text = await response.text();
    let body: StartAnswer = {};
    try {
      body = text ? (JSON.parse(text) as StartAnswer) : {};
    } catch {
      body = { error: text.slice(0, 200) };
    }
    return { status: response.status, body };
  }

  async function login(signal: AbortSignal) {
    if (loggedIn) return;
    const { status } = await call(
      '/auth/login-with-token',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: options.token }),
      },
      signal,
    );
    if (status >= 300)
      throw new ProviderError('provider_unreachable', `Dolphin Anty refused the API token (HTTP ${status})`);
    loggedIn = true;
  }

  return {
    async start(profileId, signal): Promise<StartedProfile> {
      await login(signal);
      const id = encodeURIComponent(profileId);
      const { status, body } = await call(
        `/browser_profiles/${id}/start?automation=1`,
        { method: 'GET' },
        signal,
      );
      const port = body.automation?.port;
      const path = body.automation?.wsEndpoint;
      if (status < 300 && body.success && port && path) {
        const host = options.devtoolsHost ?? '127.0.0.1';
        return { endpoint: `ws://${host}:${port}${path.startsWith('/') ? path : `/${path}`}` };
      }
      const error = typeof body.error === 'string' ? body.error : JSON.stringify(body.error ?? '');
      if (status === 404 || /not found|does not exist|no such/i.test(error)) {
        throw new ProviderError('profile_not_found', `Dolphin Anty has no profile ${profileId}`);
      }
      if (status === 409 || /already (running|started|launched)|busy|in use/i.test(error)) {
        throw new ProviderError('profile_busy', `Dolphin Anty profile ${profileId} is already running`);
      }
      throw new ProviderError(
        'provider_unreachable',
        `Dolphin Anty could not start profile ${profileId} (HTTP ${status}${error ? `: ${error.slice(0, 120)}` : ''})`,
      );
    },

    async stop(profileId) {
      try {
        const { status } = await call(`/browser_profiles/${encodeURIComponent(profileId)}/stop`, {
          method: 'GET',
        });
        if (status >= 300) options.log.warn({ profileId, status }, 'Dolphin Anty did not stop the profile');
      } catch (err) {
        options.log.warn({ err, profileId }, 'Dolphin Anty did not stop the profile');
      }
    },
  };
}
