import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * Addresses a customer's webhook URL must not reach unless the operator allows it (MUNJA_WEBHOOK_ALLOW_PRIVATE):
 * anything but global unicast — loopback, private networks, link-local (cloud metadata services), carrier-grade
 * NAT, multicast, documentation and reserved ranges — as ipaddr.js classifies them (its ranges follow the IANA
 * special-purpose registries). Otherwise any project could make the server POST into the operator's own network.
 */
function isPublicIpv4(address: ipaddr.IPv4): boolean {
  return address.range() === 'unicast';
}

/** IPv6 forms that carry an IPv4 address: the packet ends up at that IPv4 address, so that one is judged. */
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96');
const NAT64_LOCAL = ipaddr.parseCIDR('64:ff9b:1::/48');

function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const fromWords = (high: number, low: number) =>
    new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const range = address.range();
  // ::ffff:a.b.c.d (mapped), ::ffff:0:a.b.c.d (RFC 6145), 64:ff9b::a.b.c.d (NAT64, RFC 6052), ::a.b.c.d (compatible)
  if (
    range === 'ipv4Mapped' ||
    range === 'rfc6145' ||
    range === 'rfc6052' ||
    address.match(IPV4_COMPATIBLE)
  ) {
    return fromWords(parts[6]!, parts[7]!);
  }
  // 2002:AABB:CCDD::/48 (6to4) routes to AA.BB.CC.DD
  if (range === '6to4') return fromWords(parts[1]!, parts[2]!);
  return undefined;
}

/** True for an address (IPv4, IPv6, or an IPv6 form carrying an IPv4 address) that is not global unicast. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  // A name, not an address: it is judged on what it resolves to (publicOnlyLookup).
  if (isIP(bare) === 0) return false;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv4') return !isPublicIpv4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  // The unspecified and loopback addresses sit inside ::/96 but are IPv6's own.
  const own = v6.range();
  if (own === 'unspecified' || own === 'loopback') return true;
  const v4 = embeddedIpv4(v6);
  if (v4) return !isPublicIpv4(v4);
  // Teredo and local-use NAT64 tunnel to addresses that cannot be judged from here.
  if (v6.match(NAT64_LOCAL)) return true;
  return own !== 'unicast';
}

export class PrivateAddressError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_NOT_ALLOWED';
  constructor(host: string, address: string) {
    super(
      `${host} resolves to ${address}, a private or reserved address (MUNJA_WEBHOOK_ALLOW_PRIVATE=false)`,
    );
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A drop-in for dns.lookup (net/tls `lookup` option) that fails the connection when the name resolves to a
 * private address. Checking the address actually connected to, not the URL, also covers DNS rebinding.
 */
export function publicOnlyLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((entry) => isPrivateAddress(entry.address));
    if (blocked) return callback(new PrivateAddressError(hostname, blocked.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}
