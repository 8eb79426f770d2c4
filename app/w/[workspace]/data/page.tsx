// Data lifecycle: retention (everyone sees it, managers change it), exports of
// everything the workspace holds (owners), and deletion with the URL typed as
// confirmation (owners).
import { ExportsPanel } from '@/components/lifecycle/exports-panel';
import { RetentionForm } from '@/components/lifecycle/retention-form';
import { Card } from '@/components/ui/card';
import { LocalTime } from '@/components/ui/local-time';
import { DeleteWorkspace } from '@/components/workspace/delete-workspace';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Data', (await params).workspace);
}

export default async function DataPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/data');
  const { caller, workspace } = await resolveWorkspace(slug);
  const retention = await caller.lifecycle.retention({ workspaceId: workspace.id });
  const swept = retention.lastSweepDeleted ? Object.entries(retention.lastSweepDeleted).filter(([, n]) => n > 0) : [];
  return (
    <>
      <PageHeader title="Data" description="How long this workspace keeps its data, exports of everything in it, and deleting it." />
      <div className="space-y-6">
        <Card title="Retention" description="Data older than this is deleted by a background job. Leave a field empty to keep that data forever.">
          <RetentionForm workspaceId={workspace.id} current={retention} canUpdate={roleHasScope(workspace.role, 'workspace:update')} />
          {retention.lastSweepAt && (
            <p className="mt-3 text-sm text-slate-600">
              Last checked <LocalTime date={retention.lastSweepAt} withTime />
              {swept.length > 0 ? `; deleted ${swept.map(([kind, n]) => `${n} ${kind}`).join(', ')}.` : '.'}
            </p>
          )}
        </Card>
        {roleHasScope(workspace.role, 'data:export') && (
          <Card title="Export" description="Everything this workspace holds, built in the background. Each request and download is recorded in the audit log.">
            <ExportsPanel workspaceId={workspace.id} />
          </Card>
        )}
        {roleHasScope(workspace.role, 'workspace:delete') && (
          <Card
            tone="danger"
            title="Delete workspace"
            description="Deletes every row this workspace owns and destroys its encryption key, for everyone. The operator keeps a receipt with row counts only. This cannot be undone."
          >
            <DeleteWorkspace workspaceId={workspace.id} name={workspace.name} slug={workspace.slug} />
          </Card>
        )}
      </div>
    </>
  );
}
