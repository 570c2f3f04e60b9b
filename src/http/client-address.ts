// Who is asking: the socket's peer, or — when that peer is a reverse proxy we were told to trust
// (HTTP_TRUSTED_PROXIES) — the client it names in X-Forwarded-For. Read right to left, skipping our
// own proxies: what a client writes into the header itself stands to the left and is never believed.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { addIpRange } from '../ip-ranges.ts';

export type ClientAddressOf = (req: IncomingMessage) => string;

/** `trusted`: addresses and CIDR ranges (`10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`). */
export function createClientAddress(trusted: readonly string[]): ClientAddressOf {
  const proxies = new BlockList();
  for (const entry of trusted) addIpRange(proxies, entry);
  const isTrusted = (address: string) => {
    const bare = unmapped(address);
    const family = isIP(bare);
    return family !== 0 && proxies.check(bare, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (req) => {
    const peer = unmapped(req.socket.remoteAddress ?? 'unknown');
    if (trusted.length === 0 || !isTrusted(peer)) return peer;
    const header = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
      .split(',')
      .map((hop) => hop.trim())
      .filter((hop) => hop !== '');
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = unmapped(hops[i]!);
      // A hop that is no address at all was written by someone we cannot trust: stop there.
      if (isIP(hop) === 0) return peer;
      if (!isTrusted(hop)) return hop;
    }
    return hops[0] ? unmapped(hops[0]) : peer;
  };
}

/** ::ffff:10.0.0.1, as a dual-stack socket reports an IPv4 peer, is 10.0.0.1. */
function unmapped(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}
