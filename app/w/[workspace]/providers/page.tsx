// Providers: the workspace's OpenAI-compatible model endpoints, the built-in local
// model, routing per task type, and a try-it box whose calls are metered like any
// other. Owners and admins change them; everyone else reads.
import { AddProviderForm } from '@/components/providers/add-provider-form';
import { DeleteProvider, ProviderOrder, TryProvider } from '@/components/providers/provider-actions';
import { RoutingForm } from '@/components/providers/routing-form';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/workspace/page-header';
import { canonicalWorkspacePath, resolveWorkspace, workspaceTitle } from '@/components/workspace/resolve-workspace';
import { roleHasScope } from '@/server/tenancy/roles';

export async function generateMetadata({ params }: { params: Promise<{ workspace: string }> }) {
  return workspaceTitle('Providers', (await params).workspace);
}

export default async function ProvidersPage({ params }: { params: Promise<{ workspace: string }> }) {
  const { workspace: slug } = await params;
  canonicalWorkspacePath(slug, '/providers');
  const { caller, workspace } = await resolveWorkspace(slug);
  const [{ providers, builtIn, allowPrivateAddresses }, routes, secrets] = await Promise.all([
    caller.providers.list({ workspaceId: workspace.id }),
    caller.routing.get({ workspaceId: workspace.id }),
    caller.secrets.list({ workspaceId: workspace.id }),
  ]);
  const canWrite = roleHasScope(workspace.role, 'providers:write');
  const providerOptions = [{ value: 'local', label: 'local (built-in)' }, ...providers.map((p) => ({ value: p.id, label: p.name }))];
  return (
    <>
      <PageHeader
        title="Providers"
        description="OpenAI-compatible model endpoints for this workspace. Every call is metered on the Usage page; API keys come from Secrets."
      />
      <div className="space-y-6">
        {!canWrite && <Alert tone="info">Only owners and admins can add, change or test providers.</Alert>}
        <Card title="Built-in local model" description="Run by the operator, always available, and the default for every task type until you route one elsewhere.">
          <p className="text-sm text-slate-600">Models: <span className="font-mono">{builtIn.models.join(', ')}</span></p>
          {canWrite && (
            <div className="mt-3">
              <TryProvider workspaceId={workspace.id} providerId="local" providerName="the local model" models={builtIn.models} />
            </div>
          )}
        </Card>
        <Card title={`Your providers (${providers.length})`} description={allowPrivateAddresses ? 'The operator allows this workspace to reach private addresses.' : 'Base URLs must be public: private and internal addresses are refused unless the operator allows them.'}>
          {providers.length === 0 ? (
            <EmptyState title="No providers yet">Calls use the built-in local model. Add OpenAI, Azure, Ollama, vLLM or LiteLLM below.</EmptyState>
          ) : (
            <ul className="divide-y divide-slate-200">
              {providers.map((p) => (
                <li key={p.id} className="space-y-2 py-3" data-testid="provider-row">
                  <div className="flex flex-wrap items-center justify-between gap-2">
                    <div>
                      <p className="text-sm font-medium text-slate-900">
                        {p.name} <span className="text-xs font-normal text-slate-500">({p.kind}, priority {p.priority}{p.enabled ? '' : ', disabled'})</span>
                      </p>
                      <p className="font-mono text-xs text-slate-600">{p.baseUrl}</p>
                      <p className="text-xs text-slate-600">
                        Key: {p.apiKeySecretName ?? 'none'} · Models: {p.models.join(', ') || 'none listed'} · Timeout {p.timeoutMs / 1000}s
                      </p>
                    </div>
                    {canWrite && <DeleteProvider workspaceId={workspace.id} providerId={p.id} name={p.name} />}
                  </div>
                  {canWrite && <ProviderOrder workspaceId={workspace.id} provider={p} />}
                  {canWrite && <TryProvider workspaceId={workspace.id} providerId={p.id} providerName={p.name} models={p.models} />}
                </li>
              ))}
            </ul>
          )}
        </Card>
        {canWrite && (
          <Card title="Add a provider" description="The base URL ends in /v1 for most providers. Store the API key under Secrets first, then pick it here.">
            <AddProviderForm workspaceId={workspace.id} secretNames={secrets.map((s) => ({ id: s.id, name: s.name }))} />
          </Card>
        )}
        <Card title="Routing" description="Which provider and model serve each task type. On a timeout, 5xx or 429 the call falls back to the next entry, then to other providers listing the same model.">
          <div className="space-y-4">
            {routes.map((r) => (
              <RoutingForm
                key={r.taskType}
                workspaceId={workspace.id}
                taskType={r.taskType}
                chain={r.chain.map((c) => ({ providerId: c.providerId, model: c.model }))}
                providers={providerOptions}
                canWrite={canWrite}
              />
            ))}
          </div>
        </Card>
      </div>
    </>
  );
}
