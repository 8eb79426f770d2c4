import { Card } from '@/components/ui/card';
import { InviteForm } from '@/components/workspace/invite-form';
import { MembersTable } from '@/components/workspace/members-table';
import { PageHeader } from '@/components/workspace/page-header';
import { PendingInvitations } from '@/components/workspace/pending-invitations';
import { roleHasScope } from '@/server/tenancy/roles';
import { resolveWorkspace } from '../resolve-workspace';

export const metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
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
      <PageHeader title="Members" description="People in this workspace and what they may do." />
      <div className="space-y-6">
        {canManage && (
          <Card title="Invite a member" description="They get a link to join with the role you choose.">
            <InviteForm workspaceId={workspace.id} canInviteOwners={canManageOwners} />
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
        <Card title="Pending invitations">
          <PendingInvitations workspaceId={workspace.id} invitations={invitations} canManage={canManage} />
        </Card>
      </div>
    </>
  );
}
