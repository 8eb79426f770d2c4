// Settings: rename / change URL (workspace:update), leave (anyone), and the
// delete danger zone (workspace:delete only).
import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { DeleteWorkspace } from '@/components/workspace/delete-workspace';
import { GeneralSettingsForm } from '@/components/workspace/general-settings-form';
import { LeaveWorkspace } from '@/components/workspace/leave-workspace';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Settings', (await params).workspace);
}

export default async function SettingsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/settings');
  const { caller, workspace } = await resolveWorkspace(slug);
  const members = await caller.members.list({ workspaceId: workspace.id });
  const soleOwner = workspace.role === 'owner' && members.filter((m) => m.role === 'owner').length === 1;
  return (
    <>
      <PageHeader title="Settings" description="Name, URL and membership of this workspace." />
      <div className="space-y-6">
        <Card title="General">
          <GeneralSettingsForm
            workspaceId={workspace.id}
            name={workspace.name}
            slug={workspace.slug}
            canUpdate={roleHasScope(workspace.role, 'workspace:update')}
          />
        </Card>
        <Card title="Leave workspace" description="You lose access to everything in it. A workspace's last owner cannot leave.">
          <LeaveWorkspace workspaceId={workspace.id} name={workspace.name} soleOwner={soleOwner} />
        </Card>
        {roleHasScope(workspace.role, 'workspace:delete') && (
          <Card tone="danger" title="Delete workspace" description="Deletes the workspace and all its data for everyone. This cannot be undone.">
            <DeleteWorkspace workspaceId={workspace.id} name={workspace.name} slug={workspace.slug} />
            <p className="mt-3 text-sm text-slate-600">
              Take an export first on the <Link href={`/w/${workspace.slug}/data`} className="font-medium text-accent-700 underline">Data</Link> page.
            </p>
          </Card>
        )}
      </div>
    </>
  );
}
