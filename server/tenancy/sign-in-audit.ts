// Sign-ins in the workspace audit logs: a sign-in is an account event, but each
// workspace's compliance trail must show who entered it, so every successful
// sign-in is recorded in every workspace the user belongs to at that moment,
// one short transaction per workspace.
import { withWorkspace } from '../db/with-workspace';
import { recordAudit } from '../observability/audit';
import { workspacesOfUser } from './workspaces';

export async function auditSignIn(userId: string, origin: { clientAddress?: string; userAgent?: string }): Promise<number> {
  const workspaces = await workspacesOfUser(userId);
  for (const workspace of workspaces) {
    await withWorkspace(workspace.id, (tx) =>
      recordAudit(tx, {
        workspaceId: workspace.id,
        actorUserId: userId,
        action: 'auth.signed_in',
        metadata: {
          ...(origin.clientAddress ? { clientAddress: origin.clientAddress } : {}),
          ...(origin.userAgent ? { userAgent: origin.userAgent.slice(0, 200) } : {}),
        },
      }),
    );
  }
  return workspaces.length;
}
