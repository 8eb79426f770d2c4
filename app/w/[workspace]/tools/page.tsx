// Tools: the built-ins with their schemas, the workspace's custom HTTP tools and its
// egress allow-list. Owners and admins define custom tools (they send a workspace
// secret to an outside host) and keep the list; everyone else reads. Agents enable
// tools by name in their versions.
import { BuiltInTools } from '@/components/agents/built-in-tools';
import { CustomToolForm } from '@/components/agents/custom-tool-form';
import { CustomToolsList } from '@/components/agents/custom-tools-list';
import { EgressAllowList } from '@/components/agents/egress-allow-list';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Tools', (await params).workspace);
}

export default async function ToolsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/tools');
  const { caller, workspace } = await resolveWorkspace(slug);
  const [tools, secrets, egress] = await Promise.all([
    caller.tools.list({ workspaceId: workspace.id }),
    caller.secrets.list({ workspaceId: workspace.id }),
    caller.egress.allowList({ workspaceId: workspace.id }),
  ]);
  const canWrite = roleHasScope(workspace.role, 'tools:write');
  const secretNames = secrets.map((s) => s.name);
  return (
    <>
      <PageHeader title="Tools" description="What agents can call. An agent sees only the tools its published version enables." />
      <div className="space-y-6">
        <Card title="Built-in tools">
          <BuiltInTools tools={tools.builtIns} />
        </Card>
        {canWrite ? (
          <Card title="Add a custom HTTP tool" description="Calls go through the workspace's egress rules; the auth secret is decrypted only for the call.">
            <CustomToolForm workspaceId={workspace.id} secretNames={secretNames} />
          </Card>
        ) : (
          <Alert tone="info">Only owners and admins can add, change or delete custom tools.</Alert>
        )}
        <Card title={`Custom tools (${tools.custom.length})`}>
          <CustomToolsList workspaceId={workspace.id} tools={tools.custom} secretNames={secretNames} canWrite={canWrite} />
        </Card>
        <Card
          title={`Egress allow-list (${egress.hosts.length})`}
          description="The hosts http_request and custom HTTP tools may call, redirects included. Anything else is refused and the agent is told why."
        >
          <EgressAllowList workspaceId={workspace.id} hosts={egress.hosts} allowPrivateAddresses={egress.allowPrivateAddresses} canWrite={canWrite} />
        </Card>
      </div>
    </>
  );
}
