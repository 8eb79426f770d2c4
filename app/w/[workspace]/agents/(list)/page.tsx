// Agents: every agent of the workspace with its published version and model.
// Members and above create agents; viewers read.
import { AgentsTable } from '@/components/agents/agents-table';
import { Card } from '@/components/ui/card';
import { LinkButton } from '@/components/ui/link-button';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Agents', (await params).workspace);
}

export default async function AgentsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/agents');
  const { caller, workspace } = await resolveWorkspace(slug);
  const agents = await caller.agents.list({ workspaceId: workspace.id });
  const canWrite = roleHasScope(workspace.role, 'agents:write');
  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <PageHeader title="Agents" description="Each agent is a system prompt, a model and its tools, kept as immutable versions." />
        {canWrite && <LinkButton href={`/w/${slug}/agents/new`}>New agent</LinkButton>}
      </div>
      <Card title={`Agents (${agents.length})`}>
        <AgentsTable slug={slug} agents={agents} canWrite={canWrite} />
      </Card>
    </>
  );
}
