// IP addresses and CIDR ranges as the settings write them (`10.0.0.5`, `10.0.0.0/8`, `::1`,
// `fd00::/8`), read into node's BlockList: config.ts checks them, src/http matches peers against
// them. A leaf, like every module at src's top level.
import { BlockList, isIP } from 'node:net';

/** Adds an address or CIDR range to the list; throws on anything else. */
export function addIpRange(list: BlockList, entry: string): void {
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) throw new Error(`not an IP address or CIDR range: ${entry}`);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  if (bits === undefined) {
    list.addAddress(address, type);
    return;
  }
  const prefix = Number(bits);
  if (!/^\d{1,3}$/.test(bits) || prefix > (family === 6 ? 128 : 32))
    throw new Error(`not a CIDR prefix: ${entry}`);
  list.addSubnet(address, prefix, type);
}

/** True when the entry is an IP address or a CIDR range. */
export function isIpRange(entry: string): boolean {
  try {
    addIpRange(new BlockList(), entry);
    return true;
  } catch {
    return false;
  }
}
