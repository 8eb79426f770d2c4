// Memory: the end users your agents served, their threads with messages and what
// the agents remember about them. Members browse; admins delete and forget.
import { MemoryBrowser } from '@/components/memory/memory-browser';
import { Alert } from '@/components/ui/alert';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Memory', (await params).workspace);
}

export default async function MemoryPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/memory');
  const { caller, workspace } = await resolveWorkspace(slug);
  const header = (
    <PageHeader title="Memory" description="Conversations and long-term memory of the end users your agents serve, kept per end user and agent." />
  );
  if (!roleHasScope(workspace.role, 'memory:read')) {
    return (
      <>
        {header}
        <Alert tone="info">End users&apos; conversations are personal data: members and above can browse them.</Alert>
      </>
    );
  }
  const endUsers = await caller.memory.endUsers({ workspaceId: workspace.id });
  return (
    <>
      {header}
      <MemoryBrowser workspaceId={workspace.id} initialEndUsers={endUsers} canWrite={roleHasScope(workspace.role, 'memory:write')} />
    </>
  );
}
