// A workspace's egress allow-list: the hosts its http_request and custom HTTP tools
// may reach. Entries are stored normalised (lower case, punycode, no scheme, path or
// port); an IP literal of a private range is accepted only with the operator's grant,
// and after DNS resolution the guard still refuses private addresses without it.
import { domainToASCII } from 'node:url';
import { Conflict, InvalidInput, LimitExceeded, NotFound } from '../domain-errors';
import { isUniqueViolation } from '../db/prisma-errors';
import type { Tx } from '../db/with-workspace';
import { privateEgressAllowed } from '../llm/egress-grants';
import { recordAudit } from '../observability/audit';
import type { Actor } from '../tenancy/members';
import { hostIsAllowed } from './egress-policy';
import { classifyAddress, parseIpAddress } from './ip-address-rules';

export type AllowedHostView = { id: string; pattern: string; note: string; createdAt: Date };

/** Enough for any real integration list; keeps the per-call check and the page small. */
export const MAX_ALLOWED_HOSTS = 200;

const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?$/;
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'metadata.azure.internal', 'instance-data', 'instance-data.ec2.internal']);

const field = 'pattern';

/**
 * Normalises one entry as an admin types it: `api.example.com`, `*.example.com`
 * (every subdomain, not the domain itself), `Bücher.example` (stored as punycode)
 * or a public IP address. Throws InvalidInput with a message for the form.
 */
export function parseAllowListEntry(input: string, allowPrivateAddresses: boolean): string {
  const entry = input.trim().toLowerCase().replace(/\.+$/, '');
  if (!entry) throw new InvalidInput('Enter a host, such as api.example.com.', field);
  if (entry.length > 253) throw new InvalidInput('A host name is at most 253 characters.', field);
  if (/[/?#@\s]/.test(entry) || entry.includes('://')) {
    throw new InvalidInput('Enter a host only, such as api.example.com: no https://, path or credentials.', field);
  }
  if (entry === '*') throw new InvalidInput('Every host cannot be allowed at once; list the hosts your tools need.', field);
  const bracketed = /^\[(.*)\]$/.exec(entry)?.[1];
  const address = parseIpAddress(bracketed ?? entry);
  if (address) return allowedAddress(address, allowPrivateAddresses);
  if (/:\d*$/.test(entry)) throw new InvalidInput('Leave out the port: every port of an allowed host may be used.', field);
  const wildcard = entry.startsWith('*.');
  const name = wildcard ? entry.slice(2) : entry;
  if (name.includes('*')) throw new InvalidInput('A wildcard may only stand first, as in *.example.com.', field);
  if (wildcard && parseIpAddress(name)) throw new InvalidInput('A wildcard needs a domain name, not an IP address.', field);
  const ascii = domainToASCII(name);
  const labels = ascii.split('.');
  if (!ascii || ascii.length > 253 || !labels.every((label) => LABEL.test(label))) {
    throw new InvalidInput('That is not a valid host name, such as api.example.com.', field);
  }
  if (wildcard && labels.length < 2) {
    throw new InvalidInput(`*.${ascii} would allow a whole top-level domain; name the domain, as in *.example.com.`, field);
  }
  if (METADATA_NAMES.has(ascii)) throw new InvalidInput(`${ascii} is a cloud metadata service and can never be reached.`, field);
  return wildcard ? `*.${ascii}` : ascii;
}

function allowedAddress(address: NonNullable<ReturnType<typeof parseIpAddress>>, allowPrivateAddresses: boolean): string {
  const risk = classifyAddress(address);
  if (risk?.kind === 'forbidden') throw new InvalidInput(`${address.canonical} is a ${risk.label} and can never be reached.`, field);
  if (risk?.kind === 'private' && !allowPrivateAddresses) {
    throw new InvalidInput(
      `${address.canonical} is a ${risk.label}; only the platform operator can let a workspace reach private addresses.`,
      field,
    );
  }
  return address.canonical;
}

const select = { id: true, pattern: true, note: true, createdAt: true } as const;

export async function allowedHostsOfWorkspace(tx: Tx, workspaceId: string): Promise<AllowedHostView[]> {
  return tx.egressAllowedHost.findMany({ where: { workspaceId }, orderBy: { pattern: 'asc' }, select });
}

/** The patterns as the egress policy takes them. */
export async function allowListOfWorkspace(tx: Tx, workspaceId: string): Promise<string[]> {
  const rows = await tx.egressAllowedHost.findMany({ where: { workspaceId }, select: { pattern: true } });
  return rows.map((row) => row.pattern);
}

export async function addAllowedHost(tx: Tx, actor: Actor, input: { pattern: string; note?: string }): Promise<AllowedHostView> {
  const pattern = parseAllowListEntry(input.pattern, await privateEgressAllowed(tx, actor.workspaceId));
  // Serialises adds to this workspace's list, so two at once cannot both pass the count.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`enclave:egress-allow-list:${actor.workspaceId}`}))`;
  const existing = await allowListOfWorkspace(tx, actor.workspaceId);
  if (existing.includes(pattern)) throw new Conflict(`${pattern} is already on the allow-list`);
  if (existing.length >= MAX_ALLOWED_HOSTS) {
    throw new LimitExceeded(`The allow-list holds at most ${MAX_ALLOWED_HOSTS} hosts; remove one first or use a *.domain entry.`);
  }
  let row: AllowedHostView;
  try {
    row = await tx.egressAllowedHost.create({
      data: { workspaceId: actor.workspaceId, pattern, note: (input.note ?? '').trim().slice(0, 200), createdBy: actor.userId },
      select,
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new Conflict(`${pattern} is already on the allow-list`);
    throw error;
  }
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'egress.host_allowed', target: pattern });
  return row;
}

export async function removeAllowedHost(tx: Tx, actor: Actor, id: string): Promise<void> {
  const row = await tx.egressAllowedHost.findFirst({ where: { workspaceId: actor.workspaceId, id }, select: { id: true, pattern: true } });
  if (!row) throw new NotFound('Allowed host not found');
  await tx.egressAllowedHost.deleteMany({ where: { workspaceId: actor.workspaceId, id: row.id } });
  await recordAudit(tx, { workspaceId: actor.workspaceId, actorUserId: actor.userId, action: 'egress.host_removed', target: row.pattern });
}

/**
 * Puts a custom tool's host on the list when an admin saves the tool (the same
 * people manage both), unless an entry already covers it. Returns the added
 * pattern, or null when nothing was added.
 */
export async function allowToolHost(tx: Tx, actor: Actor, urlHost: string, toolName: string): Promise<string | null> {
  const pattern = parseAllowListEntry(urlHost, await privateEgressAllowed(tx, actor.workspaceId));
  const bare = pattern.replace(/^\[(.*)\]$/, '$1');
  if (hostIsAllowed(bare, await allowListOfWorkspace(tx, actor.workspaceId))) return null;
  await addAllowedHost(tx, actor, { pattern, note: `Added with the tool ${toolName}` });
  return pattern;
}
