// Prompt library: snippets that agents' system prompts include with {{> name}}.
// Members and above add and edit them; viewers read.
import { SnippetForm } from '@/components/agents/snippet-form';
import { SnippetsList } from '@/components/agents/snippets-list';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Prompt library', (await params).workspace);
}

export default async function PromptsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/prompts');
  const { caller, workspace } = await resolveWorkspace(slug);
  const snippets = await caller.prompts.list({ workspaceId: workspace.id });
  const canWrite = roleHasScope(workspace.role, 'agents:write');
  return (
    <>
      <PageHeader
        title="Prompt library"
        description="Shared snippets of prompt text. A change here reaches every agent that includes the snippet the next time it runs."
      />
      <div className="space-y-6">
        {canWrite ? (
          <Card title="Add a snippet">
            <SnippetForm workspaceId={workspace.id} />
          </Card>
        ) : (
          <Alert tone="info">Members, admins and owners can add and edit snippets.</Alert>
        )}
        <Card title={`Snippets (${snippets.length})`}>
          <SnippetsList workspaceId={workspace.id} snippets={snippets} canWrite={canWrite} />
        </Card>
      </div>
    </>
  );
}
