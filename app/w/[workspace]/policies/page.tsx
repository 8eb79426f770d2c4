// Policies: the workspace's PII, content, allow-list and approval rules as one
// versioned document. Everyone reads it and tests text against it; owners and
// admins save new versions (audited); the history lists what each version changed.
import { PolicyEditor } from '@/components/governance/policy-editor';
import { PolicyHistory } from '@/components/governance/policy-history';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Policies', (await params).workspace);
}

export default async function PoliciesPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/policies');
  const { caller, workspace } = await resolveWorkspace(slug);
  const [policy, history, tools, providers] = await Promise.all([
    caller.policies.current({ workspaceId: workspace.id }),
    caller.policies.history({ workspaceId: workspace.id }),
    caller.tools.list({ workspaceId: workspace.id }),
    caller.providers.list({ workspaceId: workspace.id }),
  ]);
  const toolNames = [...tools.builtIns.map((t) => t.name), ...tools.custom.map((t) => t.name)];
  return (
    <>
      <PageHeader
        title="Policies"
        description={`What agents may see, say and call in this workspace. Version ${policy.version || 'default'} is in force; enforced in every run and model call.`}
      />
      <div className="space-y-6">
        <Card title="Policy">
          <PolicyEditor
            workspaceId={workspace.id}
            version={policy.version}
            document={policy.document}
            canWrite={roleHasScope(workspace.role, 'policies:write')}
            toolNames={toolNames}
            providers={providers.providers.map((p) => ({ id: p.id, name: p.name }))}
          />
        </Card>
        <Card title={`History (${history.length})`}>
          <PolicyHistory versions={history} />
        </Card>
      </div>
    </>
  );
}
