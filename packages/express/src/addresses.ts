import { BlockList, isIP } from 'node:net'

const block = (subnets: [string, number, 'ipv4' | 'ipv6'][]): BlockList => {
  const list = new BlockList()
  for (const [address, prefix, type] of subnets) list.addSubnet(address, prefix, type)
  return list
}

/** Loopback and "this host" addresses; IPv4-mapped IPv6 forms (`::ffff:127.0.0.1`) match their IPv4 rule. */
const loopback = block([
  ['127.0.0.0', 8, 'ipv4'],
  ['0.0.0.0', 8, 'ipv4'],
  ['::1', 128, 'ipv6'],
  ['::', 128, 'ipv6'],
  ['::127.0.0.0', 104, 'ipv6'], // IPv4-compatible (deprecated) spelling of 127/8
])

/** An IP literal without URL brackets, or undefined when `host` is a name. */
function ipLiteral(host: string): { address: string; type: 'ipv4' | 'ipv6' } | undefined {
  const address = host.replace(/^\[(.*)\]$/, '$1')
  const version = isIP(address)
  return version === 0 ? undefined : { address, type: version === 4 ? 'ipv4' : 'ipv6' }
}

/**
 * Whether a host (as the WHATWG URL parser normalised it: `0x7f.1` → `127.0.0.1`,
 * `[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`) is this machine in any spelling: `localhost` and its
 * subdomains (RFC 6761 §6.3), with or without the root dot, and every loopback or unspecified address.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/\.+$/, '')
  if (name === 'localhost' || name.endsWith('.localhost')) return true
  const ip = ipLiteral(name)
  return ip !== undefined && loopback.check(ip.address, ip.type)
}
