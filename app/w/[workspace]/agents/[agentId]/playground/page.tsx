// The playground of one agent: runs its published version and shows the streamed
// status, answer and steps. Viewers can look but not start runs.
import { agentPageTitle, resolveAgent } from '@/components/agents/resolve-agent';
import { Playground } from '@/components/runs/playground';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { roleHasScope } from '@/server/tenancy/roles';
import { canonicalWorkspacePath } from '@/components/workspace/resolve-workspace';

type Params = { workspace: string; agentId: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  const { workspace, agentId } = await params;
  return { title: await agentPageTitle(workspace, agentId, 'Playground') };
}

export default async function PlaygroundPage({ params }: { params: Promise<Params> }) {
  const { workspace: slug, agentId } = await params;
  canonicalWorkspacePath(slug, `/agents/${agentId}/playground`);
  const { workspace, agent } = await resolveAgent(slug, agentId);
  const canRun = roleHasScope(workspace.role, 'runs:write') && !agent.archived;
  return (
    <>
      <PageHeader title={`${agent.name} · playground`} description={<>Runs the published version <span className="font-mono">v{agent.publishedVersion}</span> with the tools it enables.</>} />
      <div className="space-y-6">
        {!canRun && <Alert tone="info">{agent.archived ? 'This agent is archived and cannot run.' : 'You can watch runs here. Members, admins and owners can start them.'}</Alert>}
        <Card>
          <Playground workspaceId={workspace.id} workspaceSlug={workspace.slug} agentId={agent.id} canRun={canRun} />
        </Card>
      </div>
    </>
  );
}
