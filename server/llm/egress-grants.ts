// The operator's egress grant for a workspace: whether its provider base URLs may
// reach private, loopback and link-local addresses (an in-cluster vLLM, say).
// Tenants can read it; only the operator procedure changes it, and each change
// is audited. Metadata addresses stay refused whatever the grant says.
import { NotFound } from '../domain-errors';
import type { Tx } from '../db/with-workspace';
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
    target: 'llm providers',
  });
  return { allowPrivateAddresses: change.allowed };
}
