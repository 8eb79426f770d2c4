// The operator's egress grant for a workspace: whether its provider base URLs and
// its tools (http_request, custom HTTP tools) may reach private, loopback and
// link-local addresses (an in-cluster vLLM, say). Tenants can read it; only the
// operator procedure changes it, and each change is audited in the workspace.
// Metadata addresses stay refused whatever the grant says.
import { NotFound } from '../domain-errors';
import { withOperatorDirectory, type Tx } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';

export async function privateEgressAllowed(tx: Tx, workspaceId: string): Promise<boolean> {
  const grant = await tx.workspaceEgressGrant.findFirst({ where: { workspaceId }, select: { allowPrivateAddresses: true } });
  return grant?.allowPrivateAddresses ?? false;
}

export async function setPrivateEgress(
  tx: Tx,
  change: { workspaceId: string; allowed: boolean; operatorUserId: string },
): Promise<{ allowPrivateAddresses: boolean }> {
  const workspace = await tx.workspace.findFirst({ where: { id: change.workspaceId }, select: { id: true } });
  if (!workspace) throw new NotFound('Workspace not found');
  const data = { allowPrivateAddresses: change.allowed, updatedBy: change.operatorUserId, updatedAt: new Date() };
  await tx.workspaceEgressGrant.upsert({
    where: { workspaceId: change.workspaceId },
    create: { workspaceId: change.workspaceId, ...data },
    update: data,
  });
  await recordAudit(tx, {
    workspaceId: change.workspaceId,
    actorUserId: change.operatorUserId,
    action: change.allowed ? 'egress.private_addresses_allowed' : 'egress.private_addresses_refused',
    target: 'llm providers and tools',
  });
  return { allowPrivateAddresses: change.allowed };
}

export type WorkspaceEgressEntry = { id: string; name: string; slug: string; allowPrivateAddresses: boolean; updatedAt: Date | null };

/** The operator's list: every workspace (at most 200, by name) with its grant; no tenant content. */
export function workspaceEgressDirectory(search?: string): Promise<WorkspaceEgressEntry[]> {
  const term = search?.trim();
  return withOperatorDirectory(async (tx) => {
    const workspaces = await tx.workspace.findMany({
      where: term ? { OR: [{ name: { contains: term, mode: 'insensitive' } }, { slug: { contains: term.toLowerCase() } }] } : {},
      orderBy: [{ name: 'asc' }, { slug: 'asc' }],
      take: 200,
      select: { id: true, name: true, slug: true },
    });
    const grants = await tx.workspaceEgressGrant.findMany({
      where: { workspaceId: { in: workspaces.map((w) => w.id) } },
      select: { workspaceId: true, allowPrivateAddresses: true, updatedAt: true },
    });
    const byWorkspace = new Map(grants.map((g) => [g.workspaceId, g]));
    return workspaces.map((w) => {
      const grant = byWorkspace.get(w.id);
      return { ...w, allowPrivateAddresses: grant?.allowPrivateAddresses ?? false, updatedAt: grant?.updatedAt ?? null };
    });
  });
}
