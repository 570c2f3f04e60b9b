// A fake anti-detect provider API on 127.0.0.1, speaking Dolphin Anty's local API: starting a
// known profile launches a real Chromium with a DevTools port and answers with its port and ws
// path; stopping it ends that Chromium. It records every start and stop, and can play "busy".
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultBrowserSearch, findBrowserExecutable } from '../../src/warmup/browser-executable.ts';

type Running = { child: ChildProcess; dir: string };

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function launchWithDevtools(): Promise<Running & { port: number; wsPath: string }> {
  const { path } = await findBrowserExecutable(defaultBrowserSearch(process.env));
  const dir = await mkdtemp(join(tmpdir(), 'fake-profile-'));
  const child = spawn(
    path,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--remote-debugging-port=0',
      `--user-data-dir=${dir}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await new Promise<URL>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (match?.[1]) resolve(new URL(match[1]));
    });
    child.once('exit', (code) =>
      reject(new Error(`chromium exited (${code}) before its DevTools port opened`)),
    );
  });
  return { child, dir, port: Number(endpoint.port), wsPath: endpoint.pathname };
}

export async function startFakeProfileProvider(profiles: readonly string[]) {
  const running = new Map<string, Running>();
  const starts: string[] = [];
  const stops: string[] = [];
  const busy = new Set<string>();

  async function stopProfile(id: string) {
    const profile = running.get(id);
    running.delete(id);
    if (!profile) return;
    const exited = new Promise((resolve) => profile.child.once('exit', resolve));
    profile.child.kill('SIGKILL');
    await exited;
    await rm(profile.dir, { recursive: true, force: true });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const match = /^\/v1\.0\/browser_profiles\/([^/]+)\/(start|stop)$/.exec(url.pathname);
    if (!match || req.method !== 'GET') return json(res, 404, { success: false, error: 'no such endpoint' });
    const [, id = '', action] = match;
    if (!profiles.includes(id)) return json(res, 404, { success: false, error: 'Browser profile not found' });
    if (action === 'stop') {
      stops.push(id);
      stopProfile(id).then(
        () => json(res, 200, { success: true }),
        () => json(res, 500, { success: false }),
      );
      return;
    }
    if (busy.has(id) || running.has(id)) {
      return json(res, 500, { success: false, error: 'Browser profile is already running' });
    }
    if (url.searchParams.get('automation') !== '1')
      return json(res, 400, { success: false, error: 'automation=1 needed' });
    starts.push(id);
    launchWithDevtools().then(
      ({ child, dir, port, wsPath }) => {
        running.set(id, { child, dir });
        json(res, 200, { success: true, automation: { port, wsEndpoint: wsPath } });
      },
      (err: Error) => json(res, 500, { success: false, error: err.message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    starts,
    stops,
    /** Profiles running now (started and not stopped). */
    running: () => [...running.keys()],
    /** From now on the profile answers "already running", as when someone opened it by hand. */
    markBusy: (id: string) => busy.add(id),
    async close() {
      await Promise.all([...running.keys()].map(stopProfile));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
