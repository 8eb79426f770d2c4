// Decides whether an IP address may be dialled by tenant-driven egress. Anything
// that is not plainly a public unicast address is refused; the operator-granted
// "allow private" flag opens private, loopback, link-local, CGNAT and unique-local
// ranges, never metadata, unspecified, multicast or tunnelled (mapped, NAT64, 6to4) forms.
import { isIPv4, isIPv6 } from 'node:net';

/** Why an address is refused; `null` from classifyAddress means public. */
export type AddressRisk =
  | { kind: 'private'; label: string } // reachable only with the operator-granted flag
  | { kind: 'forbidden'; label: string }; // never reachable from tenant egress

type Range = { bytes: number[]; prefix: number; risk: AddressRisk };

const privateRange = (label: string) => ({ kind: 'private', label }) as const;
const forbidden = (label: string) => ({ kind: 'forbidden', label }) as const;

/** Cloud instance-metadata endpoints (AWS, GCP, Azure, Oracle, Alibaba, ECS task metadata). */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254',
  '169.254.170.2',
  '169.254.169.253',
  '100.100.100.200',
  '192.0.0.192',
  'fd00:ec2:0:0:0:0:0:254',
  'fd00:ec2:0:0:0:0:0:23',
]);

const IPV4_RANGES: Range[] = [
  v4('0.0.0.0', 8, forbidden('unspecified ("this network") address')),
  v4('10.0.0.0', 8, privateRange('private address (10/8)')),
  v4('100.64.0.0', 10, privateRange('carrier-grade NAT address (100.64/10)')),
  v4('127.0.0.0', 8, privateRange('loopback address')),
  v4('169.254.0.0', 16, privateRange('link-local address')),
  v4('172.16.0.0', 12, privateRange('private address (172.16/12)')),
  v4('192.0.0.0', 24, forbidden('IETF protocol assignment address')),
  v4('192.0.2.0', 24, forbidden('documentation address')),
  v4('192.88.99.0', 24, forbidden('6to4 relay address')),
  v4('192.168.0.0', 16, privateRange('private address (192.168/16)')),
  v4('198.18.0.0', 15, privateRange('benchmarking address')),
  v4('198.51.100.0', 24, forbidden('documentation address')),
  v4('203.0.113.0', 24, forbidden('documentation address')),
  v4('224.0.0.0', 4, forbidden('multicast address')),
  v4('240.0.0.0', 4, forbidden('reserved or broadcast address')),
];

const IPV6_RANGES: Range[] = [
  v6('::', 128, forbidden('unspecified address')),
  v6('::1', 128, privateRange('loopback address')),
  v6('::ffff:0:0', 96, forbidden('IPv4-mapped IPv6 address')),
  v6('::', 96, forbidden('IPv4-compatible IPv6 address')),
  v6('64:ff9b::', 96, forbidden('NAT64 address')),
  v6('64:ff9b:1::', 48, forbidden('local NAT64 address')),
  v6('100::', 64, forbidden('discard-only address')),
  v6('2001::', 32, forbidden('Teredo tunnel address')),
  v6('2001:db8::', 32, forbidden('documentation address')),
  v6('2002::', 16, forbidden('6to4 tunnel address')),
  v6('fc00::', 7, privateRange('unique-local address')),
  v6('fe80::', 10, privateRange('link-local address')),
  v6('fec0::', 10, privateRange('site-local address')),
  v6('ff00::', 8, forbidden('multicast address')),
];

/** A parsed IP literal: its family, bytes (4 or 16) and canonical text. */
export type ParsedAddress = { family: 4 | 6; bytes: number[]; canonical: string };

/**
 * Parses an IP literal as an address family would be dialled: canonical dotted
 * IPv4 or IPv6 text (brackets and zone ids refused). Returns null for anything else.
 */
export function parseIpAddress(text: string): ParsedAddress | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) {
    const bytes = bare.split('.').map(Number);
    return { family: 4, bytes, canonical: bytes.join('.') };
  }
  if (isIPv6(bare) && !bare.includes('%')) {
    const bytes = ipv6Bytes(bare);
    return { family: 6, bytes, canonical: canonicalIpv6(bytes) };
  }
  return null;
}

/**
 * Parses the legacy IPv4 spellings that inet_aton accepts (decimal `2130706433`,
 * hex `0x7f.1`, octal `017700000001`, short forms `127.1`). Returns the dotted
 * form, or null when the text is not such a number.
 */
export function parseLegacyIpv4(text: string): string | null {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => !/^(0x[0-9a-f]*|[0-9]+)$/i.test(p))) return null;
  const values = parts.map((p) => (/^0x/i.test(p) ? parseInt(p.slice(2) || '0', 16) : /^0[0-7]+$/.test(p) ? parseInt(p, 8) : /^0[0-9]+$/.test(p) ? NaN : Number(p)));
  if (values.some((v) => !Number.isFinite(v))) return null;
  const last = values.pop() as number;
  if (values.some((v) => v > 255) || last >= 256 ** (4 - values.length)) return null;
  const bytes = [...values];
  for (let i = 4 - values.length - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes.join('.');
}

/** Null when the address is public unicast; otherwise why it is refused. */
export function classifyAddress(address: ParsedAddress): AddressRisk | null {
  if (METADATA_ADDRESSES.has(address.canonical)) return forbidden('cloud metadata address');
  const ranges = address.family === 4 ? IPV4_RANGES : IPV6_RANGES;
  // The most specific matching range wins (e.g. ::1/128 inside ::/96).
  const match = ranges
    .filter((range) => inRange(address.bytes, range))
    .sort((a, b) => b.prefix - a.prefix)[0];
  if (match) return match.risk;
  // Only 2000::/3 is global unicast; everything else in IPv6 is refused.
  if (address.family === 6 && (address.bytes[0]! & 0xe0) !== 0x20) return forbidden('non-global IPv6 address');
  return null;
}

/** Null when tenant egress may dial the address under the given operator grant; otherwise why not. */
export function addressRefusal(address: ParsedAddress, allowPrivateAddresses: boolean): AddressRisk | null {
  const risk = classifyAddress(address);
  if (!risk) return null;
  if (risk.kind === 'private' && allowPrivateAddresses) return null;
  return risk;
}

function v4(text: string, prefix: number, risk: AddressRisk): Range {
  return { bytes: text.split('.').map(Number), prefix, risk };
}

function v6(text: string, prefix: number, risk: AddressRisk): Range {
  return { bytes: ipv6Bytes(text), prefix, risk };
}

function inRange(bytes: number[], range: Range): boolean {
  if (bytes.length !== range.bytes.length) return false;
  let bits = range.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((bytes[i]! & mask) !== (range.bytes[i]! & mask)) return false;
  }
  return true;
}

function ipv6Bytes(text: string): number[] {
  // A trailing dotted IPv4 part (::ffff:127.0.0.1) becomes its two hex groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  let hex = text;
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    hex = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = '', right] = hex.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => parseInt(g, 16)) : []);
  const leftGroups = groups(left);
  const rightGroups = right === undefined ? [] : groups(right);
  const zeros = Array<number>(8 - leftGroups.length - rightGroups.length).fill(0);
  return [...leftGroups, ...zeros, ...rightGroups].flatMap((g) => [(g >> 8) & 0xff, g & 0xff]);
}

function canonicalIpv6(bytes: number[]): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}
