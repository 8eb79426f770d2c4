// A workspace's egress policy and the checks made on a URL before any DNS look-up:
// http(s) only, no embedded credentials, host on the allow-list, never a metadata name.
// Error messages name the origin only, never the path or query (they may carry keys).
import { PolicyViolation, InvalidInput } from '../domain-errors';
import { parseIpAddress, parseLegacyIpv4 } from './ip-address-rules';

export type EgressPolicy = {
  /** Hosts the workspace may reach: `api.example.com`, `*.example.com` (subdomains only), an IP, or `*` (any host). */
  allowedHosts: readonly string[];
  /** Operator-granted: private, loopback, link-local and CGNAT addresses become reachable (metadata never does). */
  allowPrivateAddresses: boolean;
};

/** A URL that passed the pre-resolution checks. */
export type EgressTarget = {
  url: URL;
  /** Lower-case host name without brackets or trailing dot; an IP literal in canonical form. */
  host: string;
  /** Set when the host is an IP literal (no DNS look-up happens). */
  literalAddress: string | null;
  port: number;
};

/** Host names that reach cloud metadata services whatever they resolve to. */
const METADATA_HOSTS = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.internal',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Normalises one allow-list entry, or throws InvalidInput naming it. */
export function normaliseHostPattern(entry: string): string {
  const trimmed = entry.trim().toLowerCase().replace(/\.+$/, '');
  if (trimmed === '*') return trimmed;
  const wildcard = trimmed.startsWith('*.');
  const name = wildcard ? trimmed.slice(2) : trimmed;
  const literal = parseIpAddress(name);
  if (literal && !wildcard) return literal.canonical;
  const valid = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(name);
  if (!valid || name.includes('*')) {
    throw new InvalidInput(`"${entry}" is not a host name, a *.domain wildcard or an IP address.`, 'allowedHosts');
  }
  return wildcard ? `*.${name}` : name;
}

/** True when the (normalised) host is on the (normalised) allow-list. */
export function hostIsAllowed(host: string, allowedHosts: readonly string[]): boolean {
  return allowedHosts.some((pattern) => {
    if (pattern === '*') return true;
    if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1;
    return host === pattern;
  });
}

/** Parses and checks a URL against the policy before any resolution; throws PolicyViolation or InvalidInput. */
export function vetUrl(rawUrl: string | URL, policy: EgressPolicy): EgressTarget {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new InvalidInput('The URL is not a valid absolute URL.', 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new PolicyViolation(`Only http and https URLs may be requested (got ${url.protocol.replace(/:$/, '')}).`);
  }
  if (url.username || url.password) {
    throw new PolicyViolation('URLs with embedded credentials are not allowed; send credentials in a header.');
  }
  const host = canonicalHost(url.hostname);
  if (!host) throw new InvalidInput('The URL has no host.', 'url');
  const origin = `${url.protocol}//${url.host}`;
  if (METADATA_HOSTS.has(host)) {
    throw new PolicyViolation(`Requests to ${origin} are refused: it is a cloud metadata service.`);
  }
  const literalAddress = parseIpAddress(host)?.canonical ?? null;
  const allowList = policy.allowedHosts.map((entry) => entry.trim().toLowerCase().replace(/\.+$/, ''));
  if (!hostIsAllowed(literalAddress ?? host, allowList.map((p) => parseIpAddress(p)?.canonical ?? p))) {
    throw new PolicyViolation(`${host} is not on this workspace's egress allow-list; an admin can add it on the Tools page.`);
  }
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { url, host, literalAddress, port };
}

/** Lower-case, without brackets or trailing dots; legacy numeric IPv4 spellings become dotted. */
function canonicalHost(hostname: string): string {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.+$/, '');
  return parseLegacyIpv4(bare) ?? bare;
}
