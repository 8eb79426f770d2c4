// Members: who is in the workspace and with which role. Managers (members:write)
// also invite people, change roles, remove members and revoke invitations.
import { Card } from '@/components/ui/card';
import { InvitationLinksProvider } from '@/components/workspace/invitation-links';
import { InviteForm } from '@/components/workspace/invite-form';
import { MembersTable } from '@/components/workspace/members-table';
import { PageHeader } from '@/components/workspace/page-header';
import { PendingInvitations } from '@/components/workspace/pending-invitations';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Members', (await params).workspace);
}

export default async function MembersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/members');
  const { caller, workspace } = await resolveWorkspace(slug);
  const [members, invitations, me] = await Promise.all([
    caller.members.list({ workspaceId: workspace.id }),
    caller.invitations.list({ workspaceId: workspace.id }),
    caller.account.me(),
  ]);
  const canManage = roleHasScope(workspace.role, 'members:write');
  const canManageOwners = roleHasScope(workspace.role, 'owners:write');
  return (
    <>
      <PageHeader
        title="Members"
        description={canManage ? 'People in this workspace and what they may do.' : 'People in this workspace. Only owners and admins can change memberships.'}
      />
      <InvitationLinksProvider>
        <div className="space-y-6">
          {canManage && (
            <Card title="Invite a member" description="They get a link to join with the role you choose.">
              <InviteForm workspaceId={workspace.id} canInviteOwners={canManageOwners} pending={invitations} />
            </Card>
          )}
          <Card title={`Members (${members.length})`}>
            <MembersTable
              workspaceId={workspace.id}
              members={members}
              currentUserId={me.id}
              canManage={canManage}
              canManageOwners={canManageOwners}
            />
          </Card>
          <Card title={`Pending invitations (${invitations.length})`}>
            <PendingInvitations workspaceId={workspace.id} invitations={invitations} canManage={canManage} canManageOwners={canManageOwners} />
          </Card>
        </div>
      </InvitationLinksProvider>
    </>
  );
}
