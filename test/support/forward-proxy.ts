// A plain HTTP forward proxy on 127.0.0.1 for tests: every request for http://<any name>/… goes to
// one upstream (the fixture site), and the host names asked for are recorded. A name that only
// the proxy knows loads, so a browser that resolves names itself instead of the proxy would fail.
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startForwardProxy(upstream: string) {
  const hosts: string[] = [];
  const target = new URL(upstream);
  const server = createServer((req, res) => {
    const asked = URL.canParse(req.url ?? '') ? new URL(req.url ?? '') : undefined;
    if (!asked) {
      res.writeHead(400).end('absolute URLs only');
      return;
    }
    hosts.push(asked.hostname);
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: asked.pathname + asked.search,
        headers: { ...req.headers, host: target.host },
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  // HTTPS through CONNECT is not needed by the tests; refuse it rather than half-support it.
  server.on('connect', (_req, socket) => socket.end('HTTP/1.1 501 Not Implemented\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hosts,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
