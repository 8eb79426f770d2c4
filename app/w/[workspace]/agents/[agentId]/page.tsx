// The agent editor: its settings as the form for the next version, the rendered
// prompt of the published version, the version history with rollback, and a diff
// between any two versions (?from=&to=). Viewers see everything read-only.
import { AgentForm } from '@/components/agents/agent-form';
import { ArchiveAgentButton } from '@/components/agents/archive-agent-button';
import { CompareVersionsForm } from '@/components/agents/compare-versions-form';
import { VersionDiffView } from '@/components/agents/version-diff-view';
import { VersionHistory } from '@/components/agents/version-history';
import { agentPageTitle, resolveAgent } from '@/components/agents/resolve-agent';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { LinkButton } from '@/components/ui/link-button';
import { PageHeader } from '@/components/workspace/page-header';
import { SUGGESTED_MODELS } from '@/server/agents/new-agent-defaults';
import { roleHasScope } from '@/server/tenancy/roles';
import { canonicalWorkspacePath } from '@/components/workspace/resolve-workspace';

type Params = { workspace: string; agentId: string };
type Search = { from?: string; to?: string };

export async function generateMetadata({ params }: { params: Promise<Params> }) {
  const { workspace, agentId } = await params;
  return { title: await agentPageTitle(workspace, agentId) };
}

/** A version number from the query, if it names one of the agent's versions. */
function pick(raw: string | undefined, versions: number[], fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && versions.includes(n) ? n : fallback;
}

export default async function AgentPage({ params, searchParams }: { params: Promise<Params>; searchParams: Promise<Search> }) {
  const { workspace: slug, agentId } = await params;
  canonicalWorkspacePath(slug, `/agents/${agentId}`);
  const search = await searchParams;
  const { caller, workspace, agent } = await resolveAgent(slug, agentId);
  const ids = { workspaceId: workspace.id, agentId };
  const versions = await caller.agents.versions(ids);
  const numbers = versions.map((v) => v.version);
  const to = pick(search.to, numbers, agent.publishedVersion);
  const from = pick(search.from, numbers, Math.max(1, to - 1));
  const [diff, preview, tools] = await Promise.all([
    caller.agents.diff({ ...ids, fromVersion: from, toVersion: to }),
    caller.agents.preview({ ...ids, version: agent.publishedVersion }),
    caller.tools.list({ workspaceId: workspace.id }),
  ]);
  const canWrite = roleHasScope(workspace.role, 'agents:write') && !agent.archived;
  const knowledgeBases = await caller.knowledge.list({ workspaceId: workspace.id });
  const availableTools = [
    ...tools.builtIns.map((t) => ({ name: t.name, description: t.description, kind: 'built-in' as const })),
    ...tools.custom.filter((t) => t.enabled || agent.current.tools.includes(t.name)).map((t) => ({ name: t.name, description: t.description, kind: 'custom' as const })),
  ];
  return (
    <>
      <PageHeader
        title={agent.name}
        description={
          <>
            Published version <span className="font-mono">v{agent.publishedVersion}</span>
            {agent.description && ` · ${agent.description}`}
          </>
        }
      />
      <div className="space-y-6">
        {!agent.archived && (
          <LinkButton href={`/w/${workspace.slug}/agents/${agent.id}/playground`} variant="secondary">
            Open playground
          </LinkButton>
        )}
        {agent.archived && <Alert tone="warning">This agent is archived. Its versions stay readable; it cannot get new ones.</Alert>}
        {!agent.archived && !roleHasScope(workspace.role, 'agents:write') && (
          <Alert tone="info">You can read this agent. Members, admins and owners can publish new versions.</Alert>
        )}
        <Card
          title={canWrite ? 'Edit' : `Settings of v${agent.publishedVersion}`}
          description={canWrite ? `Change anything and publish it as v${agent.publishedVersion + 1}; published versions never change.` : undefined}
        >
          <AgentForm
            mode="publish"
            agentId={agent.id}
            nextVersion={agent.publishedVersion + 1}
            workspaceId={workspace.id}
            slug={slug}
            availableTools={availableTools}
            knowledgeBases={knowledgeBases.map((kb) => ({ id: kb.id, name: kb.name }))}
            modelSuggestions={[...SUGGESTED_MODELS]}
            readOnly={!canWrite}
            initial={{ ...agent.current, name: agent.name, description: agent.description }}
          />
        </Card>
        <Card title="Rendered prompt" description={`v${agent.publishedVersion} with the prompt library's snippets and the variables' defaults.`}>
          {preview.problem ? (
            <Alert tone="warning">{preview.problem}</Alert>
          ) : (
            <pre aria-label="Rendered prompt" className="whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800 ring-1 ring-slate-200">
              {preview.text}
            </pre>
          )}
          {preview.missingVariables.length > 0 && (
            <p className="mt-2 text-xs text-slate-500">Given by each run (no default): {preview.missingVariables.join(', ')}</p>
          )}
        </Card>
        <Card title={`Versions (${versions.length})`}>
          <VersionHistory
            workspaceId={workspace.id}
            agentId={agent.id}
            versions={versions}
            publishedVersion={agent.publishedVersion}
            canWrite={canWrite}
          />
        </Card>
        <Card title="Compare versions">
          {versions.length < 2 ? (
            <p className="text-sm text-slate-500">Publish a second version to compare it with this one.</p>
          ) : (
            <div className="space-y-4">
              <CompareVersionsForm versions={numbers} from={from} to={to} />
              <VersionDiffView diff={diff} />
            </div>
          )}
        </Card>
        {canWrite && (
          <Card title="Archive" tone="danger" description="An archived agent keeps its history but cannot be changed or run.">
            <ArchiveAgentButton workspaceId={workspace.id} agentId={agent.id} />
          </Card>
        )}
      </div>
    </>
  );
}
