// Tools: the built-ins with their schemas, and the workspace's custom HTTP tools.
// Owners and admins define custom tools (they send a workspace secret to an outside
// host); everyone else reads. Agents enable tools by name in their versions.
import { BuiltInTools } from '@/components/agents/built-in-tools';
import { CustomToolForm } from '@/components/agents/custom-tool-form';
import { CustomToolsList } from '@/components/agents/custom-tools-list';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { resolveWorkspace } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export const metadata = { title: 'Tools' };

export default async function ToolsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  const { caller, workspace } = await resolveWorkspace(slug);
  const [tools, secrets] = await Promise.all([caller.tools.list({ workspaceId: workspace.id }), caller.secrets.list({ workspaceId: workspace.id })]);
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
      </div>
    </>
  );
}
