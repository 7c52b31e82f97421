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

/**
 * Addresses that are not on the public internet: loopback, "this network", private (RFC 1918,
 * unique local), carrier-grade NAT, link-local (including cloud metadata at 169.254.169.254),
 * benchmarking, documentation, multicast and reserved ranges, and NAT64 (which can reach any of
 * them). IPv4-mapped IPv6 addresses match their IPv4 rule.
 */
const nonPublic = block([
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 128, 'ipv6'],
  ['::1', 128, 'ipv6'],
  ['::', 96, 'ipv6'], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
])

/** Whether an IP address (v4 or v6, without brackets) is routable on the public internet. */
export function isPublicAddress(address: string): boolean {
  const ip = ipLiteral(address)
  return ip !== undefined && !nonPublic.check(ip.address, ip.type)
}
