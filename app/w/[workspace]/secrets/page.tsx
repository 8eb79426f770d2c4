// Secrets: API keys and tokens that providers and tools use, listed by name with
// their dates. Values are write-only: owners and admins add and replace them,
// everyone else sees the names; nobody can read a value back.
import { AddSecretForm } from '@/components/secrets/add-secret-form';
import { SecretsTable } from '@/components/secrets/secrets-table';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Secrets', (await params).workspace);
}

export default async function SecretsPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/secrets');
  const { caller, workspace } = await resolveWorkspace(slug);
  const secrets = await caller.secrets.list({ workspaceId: workspace.id });
  const canWrite = roleHasScope(workspace.role, 'secrets:write');
  return (
    <>
      <PageHeader
        title="Secrets"
        description="API keys and tokens for providers and tools, encrypted for this workspace. Values are never shown again after you save them."
      />
      <div className="space-y-6">
        {canWrite ? (
          <Card title="Add a secret" description="Refer to it by name; the value is decrypted only for the call that needs it, and every use is audited.">
            <AddSecretForm workspaceId={workspace.id} />
          </Card>
        ) : (
          <Alert tone="info">Only owners and admins can add, replace or delete secrets.</Alert>
        )}
        <Card title={`Secrets (${secrets.length})`}>
          <SecretsTable workspaceId={workspace.id} secrets={secrets} canWrite={canWrite} />
        </Card>
      </div>
    </>
  );
}
