// New agent: the editor with sensible defaults; creating it publishes version 1.
import { AgentForm } from '@/components/agents/agent-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace } from '@/components/workspace/resolve-workspace';
import { NEW_AGENT_DEFAULTS, SUGGESTED_MODELS } from '@/server/agents/new-agent-defaults';
import { roleHasScope } from '@/server/tenancy/roles';

/** Titled like the 404 the layout answers for roles that cannot create agents. */
export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace } = await resolveWorkspace((await params).workspace);
  return { title: roleHasScope(workspace.role, 'agents:write') ? `New agent · ${workspace.name}` : 'Page not found' };
}

export default async function NewAgentPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/agents/new');
  const { caller, workspace } = await resolveWorkspace(slug);
  const tools = await caller.tools.list({ workspaceId: workspace.id });
  const knowledgeBases = await caller.knowledge.list({ workspaceId: workspace.id });
  const availableTools = [
    ...tools.builtIns.map((t) => ({ name: t.name, description: t.description, kind: 'built-in' as const })),
    ...tools.custom.filter((t) => t.enabled).map((t) => ({ name: t.name, description: t.description, kind: 'custom' as const })),
  ];
  return (
    <>
      <PageHeader title="New agent" description="Creating the agent publishes its first version." />
      <Card>
        <AgentForm
          mode="create"
          workspaceId={workspace.id}
          slug={slug}
          availableTools={availableTools}
          knowledgeBases={knowledgeBases.map((kb) => ({ id: kb.id, name: kb.name }))}
          modelSuggestions={[...SUGGESTED_MODELS]}
          readOnly={false}
          initial={NEW_AGENT_DEFAULTS}
        />
      </Card>
    </>
  );
}
